package dev.caravan.engine;

import dev.caravan.spi.Field;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends the columns a source no longer has to every batch, as null, so files written after a column was dropped keep
 * it in their schema. Copies the rows only when there is something to append.
 */
final class NullColumns {
    private final List<Field> missing;
    private Schema lastInput;
    private Schema lastOutput;

    NullColumns(List<Field> missing) {
        this.missing = List.copyOf(missing);
    }

    Schema apply(Schema input) {
        if (missing.isEmpty()) {
            return input;
        }
        if (!input.equals(lastInput)) {
            List<Field> fields = new ArrayList<>(input.fields());
            for (Field field : missing) {
                if (input.indexOf(field.name()) < 0) {
                    fields.add(Field.nullable(field.name(), field.type()));
                }
            }
            lastInput = input;
            lastOutput = new Schema(fields);
        }
        return lastOutput;
    }

    RecordBatch apply(RecordBatch batch) {
        if (missing.isEmpty()) {
            return batch;
        }
        Schema output = apply(batch.schema());
        int width = batch.schema().size();
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (Object[] row : batch.rows()) {
            Object[] padded = new Object[output.size()];
            System.arraycopy(row, 0, padded, 0, width);
            rows.add(padded);
        }
        return new RecordBatch(output, rows, batch.checkpoint(), batch.changes());
    }
}
