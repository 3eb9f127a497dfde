package dev.caravan.source.faker;

import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;

import java.util.ArrayList;
import java.util.List;

/** Generates rows {@code firstId..table.size()} in id order, in batches of at most {@code batchSize} rows. */
final class FakerReader implements StreamReader {
    private final FakeTable table;
    private final Schema schema;
    /** For each output column, its index in the table's schema; null when every column is read. */
    private final int[] columns;
    private final Object[] fullRow;
    private final FakerState state;
    private final int batchSize;
    private final long lastId;
    private long nextId;
    private boolean closed;

    FakerReader(FakeTable table, Schema schema, FakerState state, long lastIdRead, int batchSize) {
        this.table = table;
        this.schema = schema;
        this.state = state;
        this.batchSize = batchSize;
        this.lastId = table.size();
        this.nextId = Math.max(1, Math.min(lastIdRead, lastId) + 1);
        if (schema.equals(table.schema())) {
            this.columns = null;
            this.fullRow = null;
        } else {
            this.columns = new int[schema.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = table.schema().indexOf(schema.field(i).name());
            }
            this.fullRow = new Object[table.schema().size()];
        }
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public RecordBatch next() {
        if (closed || nextId > lastId) {
            return null;
        }
        int size = (int) Math.min(batchSize, lastId - nextId + 1);
        List<Object[]> rows = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            rows.add(row(nextId++));
        }
        return new RecordBatch(schema, rows, state.checkpoint(nextId - 1));
    }

    private Object[] row(long id) {
        if (columns == null) {
            Object[] row = new Object[schema.size()];
            table.fill(id, row);
            return row;
        }
        table.fill(id, fullRow);
        Object[] row = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            row[i] = fullRow[columns[i]];
        }
        return row;
    }

    @Override
    public void close() {
        closed = true;
    }
}
