package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.ColumnInfo;
import dev.caravan.source.jdbc.ColumnMapping;
import dev.caravan.source.jdbc.DecimalText;
import dev.caravan.source.jdbc.GenericTypes;
import dev.caravan.source.jdbc.ValueReader;
import dev.caravan.source.jdbc.ValueReaders;
import dev.caravan.spi.FieldType;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * PostgreSQL types → field types. The special values PostgreSQL has and Parquet lacks (numeric NaN/±Infinity,
 * date/timestamp ±infinity, time 24:00) are {@link ValueReader#UNREPRESENTABLE}: delivered as null with a change.
 */
final class PostgresTypes {
    private PostgresTypes() {
    }

    /**
     * numeric: its text is taken as bytes and read as a decimal directly when it has at most 18 digits (no String, no
     * char array per value); longer values, NaN and the infinities go through the text. (A numeric in the binary format,
     * should {@code jdbc_params} turn it on, is never taken for text: it starts with its digit count in two bytes.)
     */
    static final ValueReader NUMERIC = (rs, i) -> {
        byte[] text = rs.getBytes(i);
        if (text == null) {
            return null;
        }
        BigDecimal simple = DecimalText.parse(text);
        return simple != null ? simple : numeric(rs.getString(i));
    };

    static final ValueReader DATE = (rs, i) -> {
        LocalDate v = rs.getObject(i, LocalDate.class);
        return v == null ? null : v.equals(LocalDate.MAX) || v.equals(LocalDate.MIN) ? ValueReader.UNREPRESENTABLE : v;
    };

    static final ValueReader TIME = (rs, i) -> {
        LocalTime v = rs.getObject(i, LocalTime.class);
        return v == null ? null : v.equals(LocalTime.MAX) ? ValueReader.UNREPRESENTABLE : v;
    };

    /** timestamp as the driver decodes it; {@link PgBinaryTimes#TIMESTAMP} goes this way for values not in the binary format. */
    static final ValueReader TIMESTAMP_VIA_DRIVER = (rs, i) -> {
        LocalDateTime v = rs.getObject(i, LocalDateTime.class);
        return v == null ? null : v.equals(LocalDateTime.MAX) || v.equals(LocalDateTime.MIN) ? ValueReader.UNREPRESENTABLE : v;
    };

    /** timestamptz as the driver decodes it; {@link PgBinaryTimes#TIMESTAMP_TZ} goes this way for values not in the binary format. */
    static final ValueReader TIMESTAMP_TZ_VIA_DRIVER = (rs, i) -> {
        OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
        return v == null ? null : v.equals(OffsetDateTime.MAX) || v.equals(OffsetDateTime.MIN) ? ValueReader.UNREPRESENTABLE : v.toInstant();
    };

    static final ValueReader BIT1 = (rs, i) -> {
        String v = rs.getString(i);
        return v == null ? null : v.equals("1");
    };

    static ColumnMapping map(ColumnInfo column) {
        if (isArray(column)) {
            String element = elementType(column);
            return new ColumnMapping(FieldType.JSON, new PgArrayReader(PgElement.of(element, column.precision()), element.equals("box") ? ';' : ','),
                    false);
        }
        // a domain is its base type (declaredType; the driver reports the domain's name)
        String type = column.declaredType();
        return switch (type) {
            case "int2", "int4", "serial", "smallserial" -> new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true);
            case "int8", "bigserial", "oid" -> new ColumnMapping(FieldType.INT64, ValueReaders.INT64, true);
            case "float4" -> new ColumnMapping(FieldType.FLOAT32, ValueReaders.FLOAT32, false);
            case "float8" -> new ColumnMapping(FieldType.FLOAT64, ValueReaders.FLOAT64, false);
            case "numeric" -> numericMapping(column);
            case "bool" -> new ColumnMapping(FieldType.BOOLEAN, ValueReaders.BOOLEAN, false);
            case "bit" -> column.precision() == 1
                    ? new ColumnMapping(FieldType.BOOLEAN, BIT1, false)
                    : new ColumnMapping(FieldType.STRING, ValueReaders.STRING, true);
            case "varbit" -> new ColumnMapping(FieldType.STRING, ValueReaders.STRING, true);
            case "text", "varchar", "bpchar", "char", "name", "citext", "uuid", "inet", "cidr", "macaddr", "macaddr8", "money",
                    "timetz", "interval" -> new ColumnMapping(FieldType.STRING, ValueReaders.STRING, true);
            case "date" -> new ColumnMapping(FieldType.DATE, DATE, true);
            case "time" -> new ColumnMapping(FieldType.TIME, TIME, true);
            case "timestamp" -> new ColumnMapping(FieldType.TIMESTAMP, PgBinaryTimes.TIMESTAMP, true);
            case "timestamptz" -> new ColumnMapping(FieldType.TIMESTAMP_TZ, PgBinaryTimes.TIMESTAMP_TZ, true);
            case "json", "jsonb" -> new ColumnMapping(FieldType.JSON, ValueReaders.STRING, false);
            case "bytea" -> new ColumnMapping(FieldType.BYTES, ValueReaders.BYTES, false);
            // enums (reported as VARCHAR) keep their declared order on both sides of a comparison
            default -> column.jdbcType() == Types.VARCHAR
                    ? new ColumnMapping(FieldType.STRING, ValueReaders.STRING, true)
                    : new ColumnMapping(FieldType.STRING, ValueReaders.STRING, false);
        };
    }

    static boolean isArray(ColumnInfo column) {
        return column.jdbcType() == Types.ARRAY || column.typeName().startsWith("_") || column.declaredType().endsWith("[]");
    }

    /** The element type of an array column, resolved through domains when the catalog was read by {@link PostgresDialect}. */
    private static String elementType(ColumnInfo column) {
        String declared = column.declaredType();
        if (declared.endsWith("[]")) {
            return declared.substring(0, declared.length() - 2);
        }
        return column.typeName().startsWith("_") ? column.typeName().substring(1) : column.typeName();
    }

    /** numeric(p,s) with p ≤ 38 → DECIMAL(p,s); wider → exact text; undeclared → DECIMAL(38,9) when the value fits. */
    private static ColumnMapping numericMapping(ColumnInfo column) {
        int precision = column.precision();
        if (precision >= 1 && precision <= FieldType.MAX_DECIMAL_PRECISION) {
            return new ColumnMapping(FieldType.decimal(precision, column.scale()), NUMERIC, true);
        }
        if (precision > FieldType.MAX_DECIMAL_PRECISION && precision <= 1000) {
            return new ColumnMapping(FieldType.STRING, ValueReaders.STRING, true);
        }
        return new ColumnMapping(GenericTypes.UNBOUNDED_DECIMAL, (rs, i) -> {
            Object v = numeric(rs.getString(i));
            return v instanceof BigDecimal d ? ValueReaders.fit(d, 38, 9) : v;
        }, true);
    }

    /** The numeric text as BigDecimal; NaN and the infinities have no decimal form. */
    private static Object numeric(String text) {
        if (text == null) {
            return null;
        }
        char first = text.charAt(0);
        if (first == 'N' || first == 'I' || (first == '-' && text.length() > 1 && text.charAt(1) == 'I')) {
            return ValueReader.UNREPRESENTABLE;
        }
        return new BigDecimal(text);
    }
}
