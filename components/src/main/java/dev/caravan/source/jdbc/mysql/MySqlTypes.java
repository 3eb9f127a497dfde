package dev.caravan.source.jdbc.mysql;

import dev.caravan.source.jdbc.ColumnInfo;
import dev.caravan.source.jdbc.ColumnMapping;
import dev.caravan.source.jdbc.GenericTypes;
import dev.caravan.source.jdbc.ValueReader;
import dev.caravan.source.jdbc.ValueReaders;
import dev.caravan.spi.FieldType;
import java.math.BigDecimal;

/**
 * MySQL/MariaDB types (information_schema's DATA_TYPE and COLUMN_TYPE) → field types. Unsigned integers widen
 * (INT UNSIGNED → INT64, BIGINT UNSIGNED → DECIMAL(20,0)); TINYINT(1) and BIT(1) are booleans (a TINYINT(1) holding
 * anything but 0 or 1 is nulled and reported); YEAR is INT32; ENUM and SET are text; MariaDB's JSON (LONGTEXT checked by
 * json_valid) is JSON.
 */
final class MySqlTypes {
    private MySqlTypes() {
    }

    static final ValueReader TINYINT1 = (rs, i) -> {
        int v = rs.getInt(i);
        if (rs.wasNull()) {
            return null;
        }
        return v == 0 ? Boolean.FALSE : v == 1 ? Boolean.TRUE : ValueReader.UNREPRESENTABLE;
    };

    static final ValueReader BIT1 = (rs, i) -> {
        byte[] v = rs.getBytes(i);
        return v == null ? null : v.length > 0 && v[v.length - 1] != 0;
    };

    static final ValueReader UNSIGNED_BIGINT = (rs, i) -> {
        String v = rs.getString(i);
        return v == null ? null : new BigDecimal(v);
    };

    static ColumnMapping map(ColumnInfo column) {
        String type = column.typeName();
        boolean unsigned = column.declaredType().contains("unsigned");
        return switch (type) {
            case "tinyint" -> column.declaredType().startsWith("tinyint(1)")
                    ? new ColumnMapping(FieldType.BOOLEAN, TINYINT1, true)
                    : new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true);
            case "smallint", "mediumint" -> new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true);
            case "int", "integer" -> unsigned
                    ? new ColumnMapping(FieldType.INT64, ValueReaders.INT64, true)
                    : new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true);
            case "bigint" -> unsigned
                    ? new ColumnMapping(FieldType.decimal(20, 0), UNSIGNED_BIGINT, true)
                    : new ColumnMapping(FieldType.INT64, ValueReaders.INT64, true);
            case "decimal", "numeric" -> GenericTypes.decimal(column.precision(), column.scale());
            case "float" -> new ColumnMapping(FieldType.FLOAT32, ValueReaders.FLOAT32, false);
            case "double", "real", "double precision" -> new ColumnMapping(FieldType.FLOAT64, ValueReaders.FLOAT64, false);
            case "bit" -> column.precision() == 1
                    ? new ColumnMapping(FieldType.BOOLEAN, BIT1, false)
                    : new ColumnMapping(FieldType.BYTES, ValueReaders.BYTES, true);
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" -> new ColumnMapping(FieldType.STRING, ValueReaders.STRING, true);
            // ORDER BY sorts enums by position but '<' compares their text: not a usable cursor
            case "enum", "set" -> new ColumnMapping(FieldType.STRING, ValueReaders.STRING, false);
            case "json" -> new ColumnMapping(FieldType.JSON, ValueReaders.STRING, false);
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> new ColumnMapping(FieldType.BYTES, ValueReaders.BYTES, true);
            case "date" -> new ColumnMapping(FieldType.DATE, MySqlTemporal.DATE, true);
            case "datetime" -> new ColumnMapping(FieldType.TIMESTAMP, MySqlTemporal.DATETIME, true);
            case "timestamp" -> new ColumnMapping(FieldType.TIMESTAMP_TZ, MySqlTemporal.TIMESTAMP, true);
            case "time" -> new ColumnMapping(FieldType.TIME, MySqlTemporal.TIME, true);
            case "year" -> new ColumnMapping(FieldType.INT32, ValueReaders.INT32, true);
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection" ->
                    new ColumnMapping(FieldType.BYTES, ValueReaders.BYTES, false);
            default -> new ColumnMapping(FieldType.STRING, ValueReaders.STRING, false);
        };
    }
}
