package dev.caravan.testing;

import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldChange;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only source behind a password (a secret option), written as carelessly as some drivers: a wrong password is
 * echoed in the check message, and stream {@code broken} fails with the password in its exception message. Stream
 * {@code items} has {@code rows} rows; every third row carries a source change (its name nulled) in {@code _airbyte_meta}.
 */
public final class GuardedSource implements SourceConnector {
    /** The password the pretend server accepts. */
    public static final String SERVER_PASSWORD = "Guarded-Pa55word-7f3a9c";
    private static final ConnectorSpec SPEC = new ConnectorSpec("guarded", ConnectorSpec.ConnectorKind.SOURCE, "Password-protected test source",
            List.of(ConfigOption.string("password").asRequired().asSecret().withDescription("Password of the pretend server"),
                    ConfigOption.integer("rows").withDefault(10L).withRange(0, 1_000_000).withDescription("Rows of stream items")));
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING)));
    private static final Catalog CATALOG = new Catalog(List.of(stream("items"), stream("broken")));

    private static CatalogStream stream(String name) {
        return new CatalogStream(name, SCHEMA, List.of(SyncMode.FULL_REFRESH_OVERWRITE, SyncMode.FULL_REFRESH_APPEND), List.of("id"), List.of(), null);
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        String password = config.string("password");
        return SERVER_PASSWORD.equals(password) ? CheckResult.ok() : CheckResult.failed("login refused: password '" + password + "' is wrong");
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        return CATALOG;
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        String password = config.string("password");
        if (request.stream().equals("broken")) {
            throw new IllegalStateException("connection to pretend-db://reader:" + password + "@localhost/db reset by peer");
        }
        long rows = config.integer("rows");
        return new StreamReader() {
            private boolean done;

            @Override
            public Schema schema() {
                return SCHEMA;
            }

            @Override
            public RecordBatch next() {
                if (done) {
                    return null;
                }
                done = true;
                List<Object[]> batch = new ArrayList<>();
                Map<Integer, List<FieldChange>> changes = new HashMap<>();
                for (long id = 1; id <= rows; id++) {
                    boolean changed = id % 3 == 0;
                    batch.add(new Object[] {id, changed ? null : "item " + id});
                    if (changed) {
                        changes.put(batch.size() - 1, List.of(new FieldChange("name", FieldChange.NULLED, FieldChange.SOURCE_SERIALIZATION_ERROR)));
                    }
                }
                return new RecordBatch(SCHEMA, batch, Map.of("id", rows), changes);
            }

            @Override
            public void close() {
            }
        };
    }
}
