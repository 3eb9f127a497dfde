package com.example.caravan.sequence;

import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hands out the numbers after {@code after} up to {@code last} in batches; each batch carries the state reached, which
 * the server commits once the batch is durable and passes back in the next read.
 */
final class SequenceReader implements StreamReader {
    static final String STATE_KEY = "id";
    private final Schema schema;
    private final long last;
    private final String labelPrefix;
    private final int batchSize;
    private long next;

    SequenceReader(Schema schema, long after, long last, String labelPrefix, int batchSize) {
        this.schema = schema;
        this.next = after + 1;
        this.last = last;
        this.labelPrefix = labelPrefix;
        this.batchSize = batchSize;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public RecordBatch next() {
        if (next > last) {
            return null;
        }
        List<Object[]> rows = new ArrayList<>();
        while (next <= last && rows.size() < batchSize) {
            rows.add(row(next++));
        }
        return new RecordBatch(schema, rows, Map.of(STATE_KEY, next - 1));
    }

    private Object[] row(long id) {
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = switch (schema.field(i).name()) {
                case "id" -> id;
                case "square" -> id * id;
                default -> labelPrefix + id;
            };
        }
        return row;
    }

    @Override
    public void close() {
        // nothing to release; a real reader closes its connection or cursor here
    }
}
