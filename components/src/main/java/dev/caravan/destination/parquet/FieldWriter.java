package dev.caravan.destination.parquet;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes the values of one data field into its column, built once per stream from the field's type. A row is written
 * in two steps: {@link #prepare} converts every value of the row first, so the row's {@code _airbyte_meta} changes are
 * known before anything is written, then {@link #write} writes each value, or a null for one that was absent or could
 * not be converted.
 */
abstract class FieldWriter {
    /** DECIMAL up to this precision is stored as an INT64 unscaled value, above it as FIXED_LEN_BYTE_ARRAY. */
    static final int MAX_INT64_DECIMAL_PRECISION = 18;

    final String name;
    private boolean present;

    FieldWriter(String name) {
        this.name = name;
    }

    static FieldWriter of(Field field) {
        String name = field.name();
        FieldType type = field.type();
        return switch (type.kind()) {
            case BOOLEAN -> new NumberWriters.BooleanWriter(name);
            case INT32 -> new NumberWriters.Int32Writer(name);
            case INT64 -> new NumberWriters.Int64Writer(name);
            case FLOAT32 -> new NumberWriters.Float32Writer(name);
            case FLOAT64 -> new NumberWriters.Float64Writer(name);
            case DECIMAL -> type.precision() <= MAX_INT64_DECIMAL_PRECISION
                    ? new NumberWriters.Decimal64Writer(name, type.precision(), type.scale())
                    : new NumberWriters.DecimalFixedWriter(name, type.precision(), type.scale());
            case STRING -> new TextWriters.StringWriter(name, LogicalTypeAnnotation.stringType());
            // JSON's logical type, so readers (DuckDB, Spark, Trino...) can treat the text as JSON
            case JSON -> new TextWriters.StringWriter(name, LogicalTypeAnnotation.jsonType());
            case BYTES -> new TextWriters.BytesWriter(name);
            case DATE -> new TimeWriters.DateWriter(name);
            case TIME -> new TimeWriters.TimeWriter(name);
            case TIMESTAMP -> new TimeWriters.TimestampWriter(name);
            case TIMESTAMP_TZ -> new TimeWriters.TimestampTzWriter(name);
        };
    }

    static Type optional(PrimitiveTypeName primitive, LogicalTypeAnnotation logical, String name) {
        return Types.optional(primitive).as(logical).named(name);
    }

    /** The column's Parquet type. Data columns are all OPTIONAL: a value that cannot be written becomes null. */
    abstract Type type();

    /** Converts a non-null value for {@link #addValue}; false when it has no exact representation in the column. */
    abstract boolean accept(Object value);

    abstract void addValue(ColumnWriter column);

    /** Takes the field's value of the next row; false when the value was replaced by null. */
    final boolean prepare(Object value) {
        if (value == null) {
            present = false;
            return true;
        }
        present = accept(value);
        return present;
    }

    /** Writes the prepared value, or a null (definition level 0) when there is none. */
    final void write(ColumnWriter column) {
        if (present) {
            addValue(column);
        } else {
            column.writeNull(0, 0);
        }
    }

    abstract static class IntValueWriter extends FieldWriter {
        int value;

        IntValueWriter(String name) {
            super(name);
        }

        @Override
        final void addValue(ColumnWriter column) {
            column.write(value, 0, 1);
        }
    }

    abstract static class LongValueWriter extends FieldWriter {
        long value;

        LongValueWriter(String name) {
            super(name);
        }

        @Override
        final void addValue(ColumnWriter column) {
            column.write(value, 0, 1);
        }
    }

    abstract static class BinaryValueWriter extends FieldWriter {
        Binary value;

        BinaryValueWriter(String name) {
            super(name);
        }

        @Override
        final void addValue(ColumnWriter column) {
            column.write(value, 0, 1);
        }
    }
}
