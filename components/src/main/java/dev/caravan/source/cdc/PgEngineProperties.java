package dev.caravan.source.cdc;

import java.util.Map;
import java.util.Properties;

/**
 * The Debezium PostgreSQL connector's settings for one stream. The choices that matter for correctness: the slot is never
 * confirmed by Debezium ({@code lsn.flush.mode=manual}; Caravan confirms durable positions itself), the offset store is
 * {@link SeededOffsetStore}, deletes emit no tombstone, and values come as precise decimals, microsecond times and bytes
 * (see {@link ChangeValues}).
 */
final class PgEngineProperties {
    private PgEngineProperties() {
    }

    static Properties of(PgCdcSettings settings, String slot, String schema, String table, Map<String, Object> state) {
        Properties p = new Properties();
        p.setProperty("name", slot);
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", SeededOffsetStore.class.getName());
        p.setProperty(SeededOffsetStore.SEED, CdcOffsets.seed(slot, state));
        p.setProperty("offset.flush.interval.ms", "60000");
        p.setProperty("topic.prefix", slot);
        p.setProperty("database.hostname", settings.host().startsWith("[") ? settings.host().substring(1, settings.host().length() - 1) : settings.host());
        p.setProperty("database.port", String.valueOf(settings.port()));
        p.setProperty("database.user", settings.jdbc().user());
        p.setProperty("database.password", settings.jdbc().password());
        p.setProperty("database.dbname", settings.database());
        p.setProperty("database.sslmode", settings.sslMode());
        p.setProperty("database.connectTimeout", String.valueOf(settings.jdbc().connectTimeoutSeconds()));
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", slot);
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", regex(schema) + "\\." + regex(table));
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("snapshot.fetch.size", String.valueOf(settings.jdbc().fetchSize()));
        p.setProperty("lsn.flush.mode", "manual");
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("heartbeat.interval.ms", String.valueOf(settings.heartbeatSeconds() * 1000L));
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("hstore.handling.mode", "json");
        p.setProperty("include.unknown.datatypes", "true");
        p.setProperty("poll.interval.ms", "100");
        p.setProperty("status.update.interval.ms", "1000");
        p.setProperty("errors.max.retries", "0");
        return p;
    }

    /** A name as a literal in Debezium's comma-separated regular expressions. */
    private static String regex(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (char c : name.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
