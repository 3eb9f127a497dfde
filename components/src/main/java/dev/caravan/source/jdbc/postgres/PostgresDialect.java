package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.ColumnInfo;
import dev.caravan.source.jdbc.ColumnMapping;
import dev.caravan.source.jdbc.JdbcDialect;
import dev.caravan.source.jdbc.KeyCodec;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL: the catalog through the driver's metadata, row-value keyset comparisons (which use a composite index),
 * keys bound as untyped text so the server converts them to the column's type, intervals in ISO-8601.
 */
final class PostgresDialect extends JdbcDialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();

    @Override
    public String product() {
        return "PostgreSQL";
    }

    @Override
    public Map<String, String> driverDefaults(int connectTimeoutSeconds) {
        String seconds = Integer.toString(connectTimeoutSeconds);
        // intervals as ISO-8601 text (P1Y2M3DT4H5M6.5S), set at connection start so that every session has it
        return Map.of("connectTimeout", seconds, "loginTimeout", seconds, "ApplicationName", "caravan", "tcpKeepAlive", "true",
                "options", "-c IntervalStyle=iso_8601");
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
