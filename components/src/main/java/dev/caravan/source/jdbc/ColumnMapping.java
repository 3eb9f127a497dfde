package dev.caravan.source.jdbc;

import dev.caravan.spi.FieldType;
import java.util.Objects;

/**
 * How one column is delivered: its field type, the reader of its values and whether the database orders its values
 * consistently with {@code <} and {@code ORDER BY} (a condition for cursor and key columns).
 */
public record ColumnMapping(FieldType type, ValueReader reader, boolean orderable) {
    public ColumnMapping {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reader, "reader");
    }
}
