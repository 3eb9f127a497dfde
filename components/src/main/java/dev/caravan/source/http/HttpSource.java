package dev.caravan.source.http;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The declarative HTTP API source: its config names a YAML manifest (docs/connectors/http.md) describing the API's
 * streams, and holds the values the manifest uses (credentials, account, start date). No Java per API.
 */
public final class HttpSource implements SourceConnector {
    public static final ConnectorSpec SPEC =
            new ConnectorSpec("http", ConnectorSpec.ConnectorKind.SOURCE, "HTTP API (declarative manifest)", HttpConfig.OPTIONS);

    private final ConnectorSpec spec;
    /** The manifest this connector is bound to, or null for the general {@code http} connector (option 'manifest'). */
    private final Path manifest;

    /** The general {@code http} connector: its config names the manifest. */
    public HttpSource() {
        this.spec = SPEC;
        this.manifest = null;
    }

    /**
     * A connector of its own for one manifest (a manifest plugin: {@code plugins/<name>/manifest.yaml}): named
     * {@code name}, with the {@code http} options but 'manifest'. The manifest is loaded and validated now, so a broken
     * one is reported when the plugin loads.
     */
    public static HttpSource bound(String name, String title, Path manifest) {
        HttpManifest.load(manifest);
        return new HttpSource(new ConnectorSpec(name, ConnectorSpec.ConnectorKind.SOURCE, title, HttpConfig.boundOptions()), manifest);
    }

    private HttpSource(ConnectorSpec spec, Path manifest) {
        this.spec = spec;
        this.manifest = manifest;
    }

    @Override
    public ConnectorSpec spec() {
        return spec;
    }

    private HttpConfig http(ConnectorConfig config) {
        return HttpConfig.from(config, manifest);
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        try {
            HttpConfig http = http(config);
            HttpManifest.Stream first = http.manifest().streams().stream().filter(s -> s.parent() == null).findFirst()
                    .orElseThrow(() -> CaravanException.config("manifest " + http.manifest().file() + ": every stream has a parent"));
            HttpStreamReader.sample(http, first, 1);
            return CheckResult.ok();
        } catch (CaravanException e) {
            return CheckResult.failed(e.type() == dev.caravan.spi.ErrorType.TRANSIENT
                    ? e.getMessage() + " (check option 'base_url' and that the API is reachable)" : e.getMessage());
        }
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        HttpConfig http = http(config);
        List<CatalogStream> streams = new ArrayList<>();
        for (HttpManifest.Stream s : http.manifest().streams()) {
            List<SyncMode> modes = new ArrayList<>(List.of(SyncMode.FULL_REFRESH_OVERWRITE, SyncMode.FULL_REFRESH_APPEND));
            String cursor = s.incremental() == null ? null : s.incremental().cursorField();
            if (cursor != null) {
                modes.add(SyncMode.INCREMENTAL_APPEND);
                if (!s.primaryKey().isEmpty()) {
                    modes.add(SyncMode.INCREMENTAL_APPEND_DEDUPED);
                }
            }
            streams.add(new CatalogStream(s.name(), schemaOf(http, s), modes, s.primaryKey(), cursor == null ? List.of() : List.of(cursor), cursor));
        }
        return new Catalog(streams);
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        HttpConfig http = http(config);
        HttpManifest.Stream stream = http.manifest().stream(request.stream());
        if (request.syncMode().incremental()) {
            if (stream.incremental() == null) {
                throw CaravanException.config("stream " + stream.name() + " has no incremental section in manifest "
                        + http.manifest().file() + ": use a full refresh mode or declare incremental.cursor_field");
            }
            if (!stream.incremental().cursorField().equals(request.cursorField())) {
                throw CaravanException.config("stream " + stream.name() + " can only use cursor field '"
                        + stream.incremental().cursorField() + "' (its manifest's incremental.cursor_field), not '" + request.cursorField() + "'");
            }
        }
        Schema full = schemaOf(http, stream);
        Schema schema = request.fields().isEmpty() ? full : full.project(request.fields());
        boolean keyed = !request.primaryKey().isEmpty() || !stream.primaryKey().isEmpty();
        return new HttpStreamReader(http, stream, full, schema, request.syncMode().incremental(), keyed, request.state(), request.batchSize(), null);
    }

    /** The stream's declared schema, or the one inferred from its first {@code schema_sample_size} records. */
    static Schema schemaOf(HttpConfig http, HttpManifest.Stream stream) {
        if (stream.schema() != null) {
            return stream.schema();
        }
        SchemaInference inference = new SchemaInference();
        HttpStreamReader.sample(http, stream, stream.sampleSize()).forEach(inference::observe);
        if (inference.isEmpty()) {
            throw CaravanException.config("stream " + stream.name() + " declares no schema and its sample of records is empty: declare its "
                    + "schema in manifest " + http.manifest().file() + " (the API returned no record to infer it from)");
        }
        Schema schema = inference.schema();
        for (String k : stream.primaryKey()) {
            if (schema.indexOf(k) < 0) {
                throw CaravanException.config("stream " + stream.name() + ": primary_key '" + k + "' is not a field of the sampled records "
                        + schema.names() + "; fix primary_key or declare the schema in manifest " + http.manifest().file());
            }
        }
        return schema;
    }
}
