package dev.caravan.testing;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test-only source with a secret option: it serves one stream {@code items} of {@code rows} rows, but only to a
 * caller that knows the password — so a test sees the real secret reach the connector while never leaking anywhere else.
 */
public final class SecretSource implements SourceConnector {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("label", FieldType.STRING)));
    private static final ConnectorSpec SPEC = new ConnectorSpec("test-secret", ConnectorKind.SOURCE, "Test source with a secret", List.of(
            ConfigOption.string("password").asRequired().asSecret().withDescription("Must be open-sesame."),
            ConfigOption.integer("rows").withDefault(10L).withRange(0, 1_000_000).withDescription("Rows of stream items.")));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        return "open-sesame".equals(config.string("password")) ? CheckResult.ok()
                : CheckResult.failed("Authentication failed for the configured user; check the password");
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        return new Catalog(List.of(new CatalogStream("items", SCHEMA, List.of(SyncMode.values()), List.of("id"), List.of("id"), "id")));
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        if (!check(config).succeeded()) {
            throw new CaravanException(ErrorType.CONFIG, "Authentication failed for the configured user; check the password");
        }
        long rows = config.integer("rows");
        long after = request.state().get("id") instanceof Number n ? n.longValue() : 0;
        return new StreamReader() {
            private long next = after + 1;

            @Override
            public Schema schema() {
                return SCHEMA;
            }

            @Override
            public RecordBatch next() {
                if (next > rows) {
                    return null;
                }
                List<Object[]> batch = new ArrayList<>();
                while (next <= rows && batch.size() < request.batchSize()) {
                    batch.add(new Object[] {next, "item " + next});
                    next++;
                }
                return new RecordBatch(SCHEMA, batch, Map.of("id", next - 1));
            }

            @Override
            public void close() {
            }
        };
    }
}
