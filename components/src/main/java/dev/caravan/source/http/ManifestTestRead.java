package dev.caravan.source.http;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test read of one stream of a manifest, for authors (like a connector builder's test read): the first records of a
 * full refresh and every request made to get them, secrets masked. Used by {@code caravan connector test} and
 * {@code POST /api/v1/connectors/http/test}.
 */
public final class ManifestTestRead {
    /** The most records a test read returns. */
    public static final int MAX_LIMIT = 1000;

    /** One request attempt: what was sent (secrets and the Authorization header masked) and the answer's status (0: failed). */
    public record Request(String method, String url, Map<String, String> headers, String body, int status, long millis, String error) {}

    /** The requests made, the stream's fields, the records read (at most the limit) and the error that stopped the read, if any. */
    public record Result(List<Request> requests, List<String> fields, List<Map<String, Object>> records, String error) {}

    private ManifestTestRead() {
    }

    /** Reads up to {@code limit} records (1 to {@link #MAX_LIMIT}) of {@code stream} with {@code config} (a config of the http source). */
    public static Result run(ConnectorConfig config, String stream, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw CaravanException.config("limit " + limit + " must be between 1 and " + MAX_LIMIT);
        }
        List<String> secrets = new ArrayList<>();
        for (String name : config.spec().secretNames()) {
            Object v = config.values().get(name);
            if (v instanceof String s && !s.isEmpty()) {
                secrets.add(s);
                secrets.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
            }
        }
        List<Request> requests = new ArrayList<>();
        List<Map<String, Object>> records = new ArrayList<>();
        List<String> fields = List.of();
        String error = null;
        try {
            HttpConfig http = HttpConfig.from(config).withTrace(t -> requests.add(masked(t, secrets)));
            HttpManifest.Stream s = http.manifest().stream(stream);
            Schema schema = HttpSource.schemaOf(http, s);
            fields = schema.names();
            try (HttpStreamReader reader = new HttpStreamReader(http, s, schema, schema, false, false, Map.of(), limit, null)) {
                RecordBatch b;
                while (records.size() < limit && (b = reader.next()) != null) {
                    for (int r = 0; r < b.size() && records.size() < limit; r++) {
                        Map<String, Object> record = new LinkedHashMap<>();
                        Object[] row = b.rows().get(r);
                        for (int i = 0; i < row.length; i++) {
                            record.put(schema.field(i).name(), row[i] instanceof Temporal t ? t.toString() : row[i]);
                        }
                        records.add(record);
                    }
                }
            }
        } catch (CaravanException e) {
            error = mask(e.getMessage(), secrets);
        }
        return new Result(List.copyOf(requests), fields, records, error);
    }

    private static Request masked(HttpConfig.RequestTrace t, List<String> secrets) {
        Map<String, String> headers = new LinkedHashMap<>();
        t.headers().forEach((k, v) -> headers.put(k, k.equalsIgnoreCase("Authorization") ? ConnectorSpec.MASK : mask(v, secrets)));
        return new Request(t.method(), mask(t.url(), secrets), headers, t.body() == null ? null : mask(t.body(), secrets), t.status(), t.millis(),
                t.error() == null ? null : mask(t.error(), secrets));
    }

    private static String mask(String text, List<String> secrets) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, ConnectorSpec.MASK);
        }
        return out;
    }
}
