package dev.caravan.source.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads the value of one column of the current row in the Java class its {@link dev.caravan.spi.FieldType} prescribes.
 * Built once per column before the first row; the copy loop calls it without reflection or lookups.
 */
@FunctionalInterface
public interface ValueReader {
    /** Returned for a value the field's type cannot represent: the reader writes null and records a change instead. */
    Object UNREPRESENTABLE = new Object() {
        @Override
        public String toString() {
            return "UNREPRESENTABLE";
        }
    };

    /** The value of column {@code index} (1-based), null for SQL NULL, or {@link #UNREPRESENTABLE}. */
    Object read(ResultSet rs, int index) throws SQLException;
}
