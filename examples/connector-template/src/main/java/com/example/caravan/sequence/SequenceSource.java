package com.example.caravan.sequence;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.util.List;

/**
 * An example source: one stream, {@code numbers}, with the rows 1..{@code count} ({@code id}, its {@code square} and a
 * {@code label}). Incremental syncs resume after the last id committed: the state is {@code {"id": <last id>}}.
 */
public final class SequenceSource implements SourceConnector {
    static final String STREAM = "numbers";
    static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.required("square", FieldType.INT64),
            Field.nullable("label", FieldType.STRING)));

    private static final ConnectorSpec SPEC = new ConnectorSpec("example-sequence", ConnectorSpec.ConnectorKind.SOURCE,
            "Example number sequence", List.of(
                    ConfigOption.integer("count").withDefault(100L).withRange(0, 1_000_000_000)
                            .withDescription("How many numbers the stream has: 1..count."),
                    ConfigOption.string("label_prefix").withDefault("n")
                            .withDescription("Text put before each number in the label column.")));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        // A real connector connects here and reports what the user must fix; this one has nothing to reach.
        return CheckResult.ok();
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        return new Catalog(List.of(new CatalogStream(STREAM, SCHEMA,
                List.of(SyncMode.FULL_REFRESH_OVERWRITE, SyncMode.FULL_REFRESH_APPEND, SyncMode.INCREMENTAL_APPEND),
                List.of("id"), List.of("id"), "id")));
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        if (!STREAM.equals(request.stream())) {
            throw CaravanException.config("the example-sequence source has no stream '" + request.stream() + "'; it has " + STREAM);
        }
        if (request.syncMode().incremental() && !"id".equals(request.cursorField())) {
            throw CaravanException.config("stream numbers can only use id as cursor, not '" + request.cursorField() + "'");
        }
        Object lastId = request.state().get(SequenceReader.STATE_KEY);
        long after = lastId instanceof Number number ? number.longValue() : 0;
        Schema schema = request.fields().isEmpty() ? SCHEMA : SCHEMA.project(request.fields());
        return new SequenceReader(schema, after, config.integer("count"), config.string("label_prefix"), request.batchSize());
    }
}
