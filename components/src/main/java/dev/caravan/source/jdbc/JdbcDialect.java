package dev.caravan.source.jdbc;

import dev.caravan.spi.FieldType;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * What differs between databases: identifier quoting, how the catalog is read, type mapping, cursor/key binding,
 * keyset predicates and streaming settings. The defaults are plain JDBC ({@link DatabaseMetaData}, {@link java.sql.Types})
 * and serve the generic {@code jdbc} connector; dialects override what their database does better or differently.
 */
public abstract class JdbcDialect {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "pg_catalog", "pg_toast", "mysql",
            "performance_schema", "sys");

    /** The database's name for messages, e.g. "PostgreSQL". */
    public abstract String product();

    /** The identifier as the database reads it verbatim: case, spaces, reserved words and any letters kept. */
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public String qualified(TableRef table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    /** Statements run on every new connection of a read pool (session settings the value readers rely on). */
    public List<String> sessionInitSql() {
        return List.of();
    }

    /** Driver properties the dialect needs, before the user's {@code jdbc_params} (which may override them). */
    public Map<String, String> driverDefaults(int connectTimeoutSeconds) {
        return Map.of();
    }

    /** How the column is delivered. */
    public ColumnMapping map(ColumnInfo column) {
        return GenericTypes.map(column);
    }

    /**
     * What the read query selects for the column, read by its mapping's reader (and, for a key, its {@link KeyCodec}):
     * the column itself unless the dialect has the database convert it first.
     */
    public String selectExpression(ColumnInfo column, ColumnMapping mapping) {
        return quote(column.name());
    }

    /** How a cursor or key column enters checkpoints and queries. */
    public KeyCodec keyCodec(ColumnInfo column, ColumnMapping mapping) {
        return GenericTypes.keyCodec(mapping.type());
    }

    /**
     * A condition selecting the rows strictly after a key, in the order of {@code ORDER BY keys}; {@code params} receives,
     * for each {@code ?} in order, the index of the key value to bind. This default expands the comparison
     * ({@code a > ? OR (a = ? AND b > ?)}), which every database understands.
     */
    public String after(List<String> quotedKeys, List<Integer> params) {
        StringBuilder sql = new StringBuilder("(");
        for (int i = 0; i < quotedKeys.size(); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            sql.append('(');
            for (int j = 0; j < i; j++) {
                sql.append(quotedKeys.get(j)).append(" = ? AND ");
                params.add(j);
            }
            sql.append(quotedKeys.get(i)).append(" > ?)");
            params.add(i);
        }
        return sql.append(')').toString();
    }

    /**
     * About how many rows the table holds, from the database's statistics (no scan), for split reads' {@code auto}; empty
     * when the database keeps none that JDBC can read (the default: plain JDBC has no such catalog).
     */
    public OptionalLong estimatedRows(Connection connection, TableRef table) throws SQLException {
        return OptionalLong.empty();
    }

    /** Makes {@code statement} stream its result in chunks of {@code fetchSize} rows (autocommit is already off). */
    public void stream(Statement statement, int fetchSize) throws SQLException {
        statement.setFetchSize(fetchSize);
    }

    /** Called before closing a statement whose result was not read to the end. */
    public void abandon(Statement statement) {
    }

    /** The schemas to read when none are configured: every schema but the database's own. */
    public List<String> allSchemas(Connection connection) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        List<String> schemas = new ArrayList<>();
        boolean catalogs = catalogsAsSchemas(md);
        try (ResultSet rs = catalogs ? md.getCatalogs() : md.getSchemas()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name != null && !SYSTEM_SCHEMAS.contains(name.toLowerCase(Locale.ROOT))) {
                    schemas.add(name);
                }
            }
        }
        return schemas;
    }

    /** Tables and views of {@code schema}, sorted by name. */
    public List<TableRef> tables(Connection connection, String schema) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        boolean catalogs = catalogsAsSchemas(md);
        String[] types = tableTypes(md);
        List<TableRef> tables = new ArrayList<>();
        try (ResultSet rs = catalogs ? md.getTables(schema, null, "%", types) : md.getTables(null, pattern(md, schema), "%", types)) {
            while (rs.next()) {
                String owner = catalogs ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
                if (schema.equals(owner)) {
                    tables.add(new TableRef(schema, rs.getString("TABLE_NAME"), kind(rs.getString("TABLE_TYPE"))));
                }
            }
        }
        tables.sort((a, b) -> a.name().compareTo(b.name()));
        return tables;
    }

    /** Columns of every table of {@code schema}, by table name, in column order. */
    public Map<String, List<ColumnInfo>> columns(Connection connection, String schema) throws SQLException {
        return columns(connection, schema, "%");
    }

    /** Columns of one table in column order (empty when it does not exist). */
    public List<ColumnInfo> columns(Connection connection, TableRef table) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        return columns(connection, table.schema(), pattern(md, table.name())).getOrDefault(table.name(), List.of());
    }

    /** The primary key columns of a table in key order; empty for views and tables without one. */
    public List<String> primaryKey(Connection connection, TableRef table) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        boolean catalogs = catalogsAsSchemas(md);
        Map<Integer, String> keys = new TreeMap<>();
        try (ResultSet rs = catalogs ? md.getPrimaryKeys(table.schema(), null, table.name()) : md.getPrimaryKeys(null, table.schema(), table.name())) {
            while (rs.next()) {
                keys.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(keys.values());
    }

    private Map<String, List<ColumnInfo>> columns(Connection connection, String schema, String tablePattern) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        boolean catalogs = catalogsAsSchemas(md);
        Map<String, Map<Integer, ColumnInfo>> byTable = new TreeMap<>();
        try (ResultSet rs = catalogs ? md.getColumns(schema, null, tablePattern, "%") : md.getColumns(null, pattern(md, schema), tablePattern, "%")) {
            while (rs.next()) {
                String owner = catalogs ? rs.getString("TABLE_CAT") : rs.getString("TABLE_SCHEM");
                if (!schema.equals(owner)) {
                    continue;
                }
                ColumnInfo column = new ColumnInfo(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"), null,
                        rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"), !"NO".equals(rs.getString("IS_NULLABLE")));
                byTable.computeIfAbsent(rs.getString("TABLE_NAME"), t -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"), column);
            }
        }
        Map<String, List<ColumnInfo>> result = new LinkedHashMap<>();
        byTable.forEach((table, columns) -> result.put(table, List.copyOf(columns.values())));
        return result;
    }

    /** Whether this driver calls schemas catalogs (MySQL-like databases seen through plain JDBC). */
    protected static boolean catalogsAsSchemas(DatabaseMetaData md) throws SQLException {
        return !md.supportsSchemasInTableDefinitions() && md.supportsCatalogsInTableDefinitions();
    }

    /** {@code name} as a metadata search pattern that matches only itself. */
    protected static String pattern(DatabaseMetaData md, String name) throws SQLException {
        String escape = md.getSearchStringEscape();
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '%' || escape.indexOf(c) == 0) {
                out.append(escape);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String[] tableTypes(DatabaseMetaData md) throws SQLException {
        List<String> types = new ArrayList<>();
        try (ResultSet rs = md.getTableTypes()) {
            while (rs.next()) {
                String type = rs.getString(1).strip();
                String upper = type.toUpperCase(Locale.ROOT);
                if ((upper.contains("TABLE") || upper.contains("VIEW")) && !upper.contains("SYSTEM") && !upper.contains("TEMPORARY")
                        && !upper.contains("TOAST") && !upper.contains("INDEX")) {
                    types.add(type);
                }
            }
        }
        return types.toArray(String[]::new);
    }

    /** VIEW for every kind of view, TABLE for every kind of table. */
    protected static String kind(String tableType) {
        return tableType != null && tableType.toUpperCase(Locale.ROOT).contains("VIEW") ? "VIEW" : "TABLE";
    }

    /** Kinds a cursor may have: ordered scalars. Text counts only where the dialect says its order is consistent. */
    public static boolean cursorKind(FieldType type) {
        return switch (type.kind()) {
            case INT32, INT64, DECIMAL, STRING, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> true;
            default -> false;
        };
    }
}
