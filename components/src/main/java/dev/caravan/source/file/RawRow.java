package dev.caravan.source.file;

import dev.caravan.spi.FieldChange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One record as a file gave it: raw values by column index (texts for CSV, JSON scalars, Parquet values) and the
 * problems found in the record itself (a wrong number of CSV values, a line that is not JSON). Reused from record to
 * record by one parser.
 */
final class RawRow {
    /** Where a named value goes: its column index, or -1 when the stream has no such column (the value is dropped). */
    interface Columns {
        int indexOf(String name);
    }

    private Object[] values = new Object[16];
    private final List<FieldChange> problems = new ArrayList<>(2);

    void clear() {
        Arrays.fill(values, null);
        problems.clear();
    }

    void set(int column, Object value) {
        if (column < 0) {
            return;
        }
        if (column >= values.length) {
            values = Arrays.copyOf(values, Math.max(column + 1, values.length * 2));
        }
        values[column] = value;
    }

    Object get(int column) {
        return column < values.length ? values[column] : null;
    }

    void problem(String field, String change) {
        problems.add(new FieldChange(field, change, FieldChange.SOURCE_SERIALIZATION_ERROR));
    }

    List<FieldChange> problems() {
        return problems;
    }
}
