package dev.caravan.source.jdbc;

import dev.caravan.spi.FieldType;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Type mapping by {@link java.sql.Types} for any JDBC driver. Decimals wider than 38 digits become text; a decimal
 * without declared precision becomes DECIMAL(38,9) (values that do not fit are nulled and reported); unknown types
 * become text read with {@code getString}.
 */
public final class GenericTypes {
    /** DECIMAL used for numbers declared without precision: 29 integer and 9 fractional digits. */
    public static final FieldType UNBOUNDED_DECIMAL = FieldType.decimal(38, 9);

    private GenericTypes() {
    }

    public static ColumnMapping map(ColumnInfo column) {
        ColumnMapping mapping = byType(column);
        return new ColumnMapping(mapping.type(), GenericReaders.lenient(mapping.reader()), mapping.orderable());
    }

    /**
     * By {@link java.sql.Types}, corrected by the type name where drivers report a type Parquet would hold wrongly:
     * unsigned integers widen, PostgreSQL's timestamptz (reported as TIMESTAMP) keeps its instant, timetz and money
     * (reported as TIME and DOUBLE) are text, bit strings longer than one bit are text.
     */
    private static ColumnMapping byType(ColumnInfo column) {
        String name = column.typeName();
        boolean unsigned = name.contains("unsigned");
        boolean zoned = name.contains("timestamptz") || name.contains("timetz") || name.contains("with time zone");
        return switch (column.jdbcType()) {
            case Types.BOOLEAN -> new ColumnMapping(FieldType.BOOLEAN, GenericReaders.BOOLEAN, false);
            case Types.BIT -> column.precision() > 1
                    ? new ColumnMapping(FieldType.STRING, GenericReaders.bitString(column.precision()), false)
                    : new ColumnMapping(FieldType.BOOLEAN, GenericReaders.BOOLEAN, false);
            case Types.TINYINT, Types.SMALLINT -> new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true);
            case Types.INTEGER -> unsigned
                    ? new ColumnMapping(FieldType.INT64, ValueReaders.INT64, true)
                    : new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true);
            case Types.BIGINT -> unsigned
                    ? new ColumnMapping(FieldType.decimal(20, 0), GenericReaders.decimal(20, 0), true)
                    : new ColumnMapping(FieldType.INT64, ValueReaders.INT64, true);
            case Types.REAL -> new ColumnMapping(FieldType.FLOAT32, ValueReaders.FLOAT32, false);
            case Types.FLOAT, Types.DOUBLE -> name.equals("money")
                    ? new ColumnMapping(FieldType.STRING, ValueReaders.STRING, false)
                    : new ColumnMapping(FieldType.FLOAT64, ValueReaders.FLOAT64, false);
            case Types.NUMERIC, Types.DECIMAL -> decimal(column.precision(), column.scale());
            case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR -> new ColumnMapping(FieldType.STRING, ValueReaders.STRING, true);
            case Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB, Types.TIME_WITH_TIMEZONE ->
                    new ColumnMapping(FieldType.STRING, ValueReaders.STRING, false);
            case Types.DATE -> name.equals("year")
                    ? new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true)
                    : new ColumnMapping(FieldType.DATE, GenericReaders.DATE, true);
            case Types.TIME -> zoned
                    ? new ColumnMapping(FieldType.STRING, ValueReaders.STRING, false)
                    : new ColumnMapping(FieldType.TIME, GenericReaders.TIME, true);
            case Types.TIMESTAMP -> zoned
                    ? new ColumnMapping(FieldType.TIMESTAMP_TZ, GenericReaders.TIMESTAMP_TZ, true)
                    : new ColumnMapping(FieldType.TIMESTAMP, GenericReaders.TIMESTAMP, true);
            case Types.TIMESTAMP_WITH_TIMEZONE -> new ColumnMapping(FieldType.TIMESTAMP_TZ, GenericReaders.TIMESTAMP_TZ, true);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> new ColumnMapping(FieldType.BYTES, ValueReaders.BYTES, false);
            case Types.ARRAY -> new ColumnMapping(FieldType.JSON, ValueReaders.ARRAY_AS_JSON, false);
            default -> name.contains("json")
                    ? new ColumnMapping(FieldType.JSON, ValueReaders.STRING, false)
                    : new ColumnMapping(FieldType.STRING, ValueReaders.STRING, false);
        };
    }

    /** DECIMAL(p,s) when it is one, DECIMAL(38,9) for undeclared precision, text beyond 38 digits. */
    public static ColumnMapping decimal(int precision, int scale) {
        if (precision >= 1 && precision <= FieldType.MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision) {
            return new ColumnMapping(FieldType.decimal(precision, scale), ValueReaders.DECIMAL, true);
        }
        if (precision > FieldType.MAX_DECIMAL_PRECISION && precision < 1000 && scale >= 0) {
            return new ColumnMapping(FieldType.STRING, (rs, i) -> {
                java.math.BigDecimal v = rs.getBigDecimal(i);
                return v == null ? null : v.toPlainString();
            }, true);
        }
        return new ColumnMapping(UNBOUNDED_DECIMAL, ValueReaders.decimalFitting(38, 9), true);
    }

    public static KeyCodec keyCodec(FieldType type) {
        return switch (type.kind()) {
            case INT32, INT64 -> KeyCodec.LONG;
            case DECIMAL -> KeyCodec.DECIMAL;
            case FLOAT32, FLOAT64 -> KeyCodec.DOUBLE;
            case BOOLEAN -> KeyCodec.BOOLEAN;
            case BYTES -> KeyCodec.BYTES;
            case DATE -> KeyCodec.temporal(LocalDate.class);
            case TIME -> KeyCodec.temporal(LocalTime.class);
            case TIMESTAMP -> KeyCodec.temporal(LocalDateTime.class);
            case TIMESTAMP_TZ -> KeyCodec.temporal(OffsetDateTime.class);
            case STRING, JSON -> KeyCodec.STRING;
        };
    }
}
