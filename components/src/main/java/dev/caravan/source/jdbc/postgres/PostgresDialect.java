package dev.caravan.source.jdbc.postgres;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL: the catalog through the driver's metadata, row-value keyset comparisons (which use a composite index),
 * keys bound as untyped text so the server converts them to the column's type, intervals in ISO-8601. Partitions are
 * not streams of their own: their rows are read through the partitioned table.
 */
final class PostgresDialect extends JdbcDialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();
    private static final Pattern PLAN_ROWS = Pattern.compile(" rows=([0-9]+) ");

    @Override
    public String product() {
        return "PostgreSQL";
    }

    /**
     * Results come in the binary format (prepareThreshold -1: from a statement's first execution) for the types the
     * driver decodes faster from it — integers, floats, dates, timestamps, bytea: a copy spends less CPU in the driver and
     * in the server. These stay text: numeric (its text decodes faster and keeps NaN/Infinity detectable), and the types
     * read as text (uuid, time, timetz, geometry, arrays). {@code jdbc_params} may override both settings, e.g.
     * {@code prepareThreshold=0} behind a pooler in transaction mode that cannot keep prepared statements. Statements are
     * not cached on the connection (see {@link #driverDefaults}).
     */
    static final String TEXT_TRANSFER_TYPES = "NUMERIC,TIME,TIMETZ,UUID,POINT,BOX,BYTEA_ARRAY,INT2_ARRAY,INT4_ARRAY,INT8_ARRAY,OID_ARRAY,"
            + "FLOAT4_ARRAY,FLOAT8_ARRAY,VARCHAR_ARRAY,TEXT_ARRAY,NUMERIC_ARRAY,BOOL_ARRAY,DATE_ARRAY,TIME_ARRAY,TIMETZ_ARRAY,"
            + "TIMESTAMP_ARRAY,TIMESTAMPTZ_ARRAY,UUID_ARRAY,BPCHAR_ARRAY,NAME_ARRAY,CHAR_ARRAY,MONEY_ARRAY,INTERVAL_ARRAY,"
            + "JSON_ARRAY,JSONB_ARRAY,BIT_ARRAY,VARBIT_ARRAY,POINT_ARRAY,BOX_ARRAY,XML_ARRAY";

    @Override
    public Map<String, String> driverDefaults(int connectTimeoutSeconds) {
        String seconds = Integer.toString(connectTimeoutSeconds);
        // intervals as ISO-8601 text (P1Y2M3DT4H5M6.5S), set at connection start so that every session has it
        return Map.of("connectTimeout", seconds, "loginTimeout", seconds, "ApplicationName", "caravan", "tcpKeepAlive", "true",
                "options", "-c IntervalStyle=iso_8601", "prepareThreshold", "-1", "binaryTransferDisable", TEXT_TRANSFER_TYPES,
                // no server-side statement outlives its read: a statement kept across syncs fails after ALTER TABLE
                // ("cached plan must not change result type"), and a read is one query, so nothing is lost
                "preparedStatementCacheQueries", "0");
    }

    /**
     * UTC sessions: timestamptz text (array elements, cursor state) carries offset +00 whatever the JVM's zone is (the
     * driver would otherwise announce the JVM's zone to the server).
     */
    @Override
    public List<String> sessionInitSql() {
        return List.of("SET TIME ZONE 'UTC'");
    }

    /** Arrays are read as their text, which {@link PgArrayReader} parses (never through the driver's Java objects). */
    @Override
    public String selectExpression(ColumnInfo column, ColumnMapping mapping) {
        return PostgresTypes.isArray(column) ? quote(column.name()) + "::text" : quote(column.name());
    }

    /** The driver's columns with {@link ColumnInfo#declaredType()} resolved through domains and array element types. */
    @Override
    public Map<String, List<ColumnInfo>> columns(Connection connection, String schema) throws SQLException {
        Map<String, List<ColumnInfo>> columns = super.columns(connection, schema);
        Map<String, String> resolved = PgCatalog.resolvedTypes(connection, schema, null);
        Map<String, List<ColumnInfo>> result = new LinkedHashMap<>();
        columns.forEach((table, list) -> result.put(table, PgCatalog.withResolvedTypes(table, list, resolved)));
        return result;
    }

    @Override
    public List<ColumnInfo> columns(Connection connection, TableRef table) throws SQLException {
        return PgCatalog.withResolvedTypes(table.name(), super.columns(connection, table),
                PgCatalog.resolvedTypes(connection, table.schema(), table.name()));
    }

    /** Tables, partitioned tables, foreign tables (TABLE), views and materialized views (VIEW); partitions left out. */
    @Override
    public List<TableRef> tables(Connection connection, String schema) throws SQLException {
        List<TableRef> tables = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT c.relname, c.relkind FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND NOT c.relispartition ORDER BY c.relname")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(2);
                    tables.add(new TableRef(schema, rs.getString(1), kind.equals("v") || kind.equals("m") ? "VIEW" : "TABLE"));
                }
            }
        }
        return tables;
    }

    /**
     * The planner's row estimate for a scan of the table: {@code pg_class.reltuples / relpages} scaled to the table's
     * current size in pages (for a table never analyzed, the planner's estimate from its size and row width), summed over
     * the partitions of a partitioned table.
     */
    @Override
    public OptionalLong estimatedRows(Connection connection, TableRef table) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN SELECT 1 FROM " + qualified(table))) {
            if (rs.next()) {
                Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
                if (rows.find()) {
                    return OptionalLong.of(Long.parseLong(rows.group(1)));
                }
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public ColumnMapping map(ColumnInfo column) {
        return PostgresTypes.map(column);
    }

    @Override
    public KeyCodec keyCodec(ColumnInfo column, ColumnMapping mapping) {
        return switch (mapping.type().kind()) {
            case INT32, INT64 -> KeyCodec.LONG;
            default -> KeyCodec.UNTYPED_TEXT;
        };
    }

    @Override
    public String after(List<String> quotedKeys, List<Integer> params) {
        StringBuilder sql = new StringBuilder("(").append(String.join(", ", quotedKeys)).append(") > (");
        for (int i = 0; i < quotedKeys.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            params.add(i);
        }
        return sql.append(')').toString();
    }
}
