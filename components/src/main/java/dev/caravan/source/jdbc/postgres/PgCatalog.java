package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.ColumnInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver's metadata does not say: the base type of a domain ({@code posint} → {@code int4}) and the element
 * type of an array, itself resolved through domains ({@code _posint} → {@code int4[]}). One level of domain is resolved.
 */
final class PgCatalog {
    private static final String TYPES = """
            SELECT c.relname, a.attname,
              CASE WHEN e.oid IS NOT NULL THEN CASE WHEN e.typtype = 'd' THEN eb.typname ELSE e.typname END || '[]' ELSE b.typname END
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            LEFT JOIN pg_catalog.pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'
            LEFT JOIN pg_catalog.pg_type eb ON eb.oid = e.typbasetype
            WHERE n.nspname = ? AND (? IS NULL OR c.relname = ?) AND a.attnum > 0 AND NOT a.attisdropped""";

    private PgCatalog() {
    }

    /** {@code table NUL column} → resolved type name ({@code int4}, {@code int4[]}). */
    static Map<String, String> resolvedTypes(Connection connection, String schema, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(TYPES)) {
            s.setString(1, schema);
            s.setString(2, table);
            s.setString(3, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1) + '\u0000' + rs.getString(2), rs.getString(3));
                }
            }
        }
        return types;
    }

    static List<ColumnInfo> withResolvedTypes(String table, List<ColumnInfo> columns, Map<String, String> resolved) {
        List<ColumnInfo> result = new ArrayList<>(columns.size());
        for (ColumnInfo c : columns) {
            String type = resolved.getOrDefault(table + '\u0000' + c.name(), c.typeName());
            result.add(new ColumnInfo(c.name(), c.jdbcType(), c.typeName(), type, c.precision(), c.scale(), c.nullable()));
        }
        return result;
    }
}
