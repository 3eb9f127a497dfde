package dev.caravan.source.jdbc.mysql;

import dev.caravan.source.jdbc.ColumnInfo;
import dev.caravan.source.jdbc.ColumnMapping;
import dev.caravan.source.jdbc.JdbcDialect;
import dev.caravan.source.jdbc.KeyCodec;
import dev.caravan.source.jdbc.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB: schemas are databases; the catalog is read from information_schema (COLUMN_TYPE tells unsigned,
 * TINYINT(1) and BIT widths, CHECK constraints tell MariaDB's JSON columns); sessions run in UTC so TIMESTAMP text is
 * UTC; results stream with the driver's fetch size; an abandoned stream is cancelled rather than drained.
 */
final class MySqlDialect extends JdbcDialect {
    static final MySqlDialect INSTANCE = new MySqlDialect();
    private static final Pattern JSON_CHECK = Pattern.compile("json_valid\\(`((?:[^`]|``)+)`\\)", Pattern.CASE_INSENSITIVE);
    private static final String COLUMNS = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE "
            + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?";

    @Override
    public String product() {
        return "MySQL/MariaDB";
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public List<String> sessionInitSql() {
        return List.of("SET time_zone = '+00:00'");
    }

    @Override
    public Map<String, String> driverDefaults(int connectTimeoutSeconds) {
        return Map.of("connectTimeout", Integer.toString(connectTimeoutSeconds * 1000), "tcpKeepAlive", "true");
    }

    @Override
    public ColumnMapping map(ColumnInfo column) {
        return MySqlTypes.map(column);
    }

    /**
     * Dates and times are selected as their text ({@code CAST(... AS CHAR)}, in the session's time zone, UTC), which
     * the readers and key codec parse: the driver's own text of a DATETIME parses, shifts through the JVM's time zone
     * (moving times inside a daylight-saving gap) and formats every value again, the largest cost of a MariaDB read.
     * Only the select list changes: conditions and ORDER BY name the column, so its index is used.
     */
    @Override
    public String selectExpression(ColumnInfo column, ColumnMapping mapping) {
        return switch (column.typeName()) {
            case "date", "datetime", "timestamp", "time" -> "CAST(" + quote(column.name()) + " AS CHAR)";
            default -> quote(column.name());
        };
    }

    @Override
    public KeyCodec keyCodec(ColumnInfo column, ColumnMapping mapping) {
        // Numbers are bound as numbers: MySQL compares a number column with a text parameter as double.
        return switch (mapping.type().kind()) {
            case INT32, INT64 -> KeyCodec.LONG;
            case DECIMAL -> KeyCodec.DECIMAL;
            case BOOLEAN -> KeyCodec.BOOLEAN;
            case BYTES -> KeyCodec.BYTES;
            default -> KeyCodec.STRING;
        };
    }

    @Override
    public void abandon(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // closing the statement drains what is left instead
        }
    }

    @Override
    public List<String> allSchemas(Connection connection) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                + "WHERE SCHEMA_NAME NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        return schemas;
    }

    /** InnoDB's estimate in {@code information_schema.TABLES.TABLE_ROWS} (from sampled index statistics); none for views. */
    @Override
    public OptionalLong estimatedRows(Connection connection, TableRef table) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            s.setString(1, table.schema());
            s.setString(2, table.name());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    long rows = rs.getLong(1);
                    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(rows);
                }
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public List<TableRef> tables(Connection connection, String schema) throws SQLException {
        List<TableRef> tables = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableRef(schema, rs.getString(1), kind(rs.getString(2))));
                }
            }
        }
        return tables;
    }

    @Override
    public Map<String, List<ColumnInfo>> columns(Connection connection, String schema) throws SQLException {
        return columns(connection, schema, null);
    }

    @Override
    public List<ColumnInfo> columns(Connection connection, TableRef table) throws SQLException {
        return columns(connection, table.schema(), table.name()).getOrDefault(table.name(), List.of());
    }

    @Override
    public List<String> primaryKey(Connection connection, TableRef table) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            s.setString(1, table.schema());
            s.setString(2, table.name());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private Map<String, List<ColumnInfo>> columns(Connection connection, String schema, String table) throws SQLException {
        Set<String> jsonColumns = jsonColumns(connection, schema);
        Map<String, List<ColumnInfo>> byTable = new LinkedHashMap<>();
        String sql = COLUMNS + (table == null ? "" : " AND TABLE_NAME = ?") + " ORDER BY TABLE_NAME, ORDINAL_POSITION";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, schema);
            if (table != null) {
                s.setString(2, table);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String tableName = rs.getString(1);
                    String column = rs.getString(2);
                    String dataType = jsonColumns.contains(tableName + "\u0000" + column) ? "json" : rs.getString(3);
                    byTable.computeIfAbsent(tableName, t -> new ArrayList<>()).add(new ColumnInfo(column, Types.OTHER, dataType,
                            rs.getString(4), rs.getInt(6), rs.getInt(7), "YES".equals(rs.getString(5))));
                }
            }
        }
        return byTable;
    }

    /** MariaDB's JSON columns (LONGTEXT with a json_valid check) as "table\0column"; none where the server has no such view. */
    private static Set<String> jsonColumns(Connection connection, String schema) {
        Set<String> columns = new HashSet<>();
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Matcher m = JSON_CHECK.matcher(rs.getString(2));
                    if (m.matches()) {
                        columns.add(rs.getString(1) + "\u0000" + m.group(1).replace("``", "`"));
                    }
                }
            }
        } catch (SQLException noCheckConstraintsTable) {
            // MySQL has a real JSON type and no TABLE_NAME in this view; older servers have no view at all
        }
        return columns;
    }
}
