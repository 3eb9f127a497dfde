package dev.caravan.source.cdc;

import dev.caravan.source.jdbc.JdbcHosts;
import dev.caravan.source.jdbc.JdbcOptions;
import dev.caravan.source.jdbc.JdbcSettings;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * The validated configuration of the {@code postgres-cdc} source: where to connect (as {@link JdbcSettings}, the
 * password never in {@link #toString()}), the prefix of the replication slots and publications it owns, the heartbeat
 * interval and how long a scheduled read waits without changes once the server has nothing more to send.
 */
record PgCdcSettings(JdbcSettings jdbc, String host, int port, String database, String sslMode, String slotPrefix,
                     int heartbeatSeconds, int idleSeconds) {
    /** PostgreSQL's limit on identifier length (NAMEDATALEN - 1). */
    static final int MAX_NAME = 63;

    PgCdcSettings {
        Objects.requireNonNull(jdbc, "jdbc");
        Objects.requireNonNull(slotPrefix, "slotPrefix");
    }

    static PgCdcSettings of(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String host = JdbcHosts.forUrl(config.string(JdbcOptions.HOST.name()), problems);
        int port = (int) config.integer(PostgresCdcSource.PORT.name());
        String database = config.string(JdbcOptions.DATABASE.name());
        String prefix = config.string(PostgresCdcSource.SLOT_PREFIX.name());
        if (!prefix.matches("[a-z][a-z0-9_]{0,29}")) {
            problems.add(new ConfigProblem(PostgresCdcSource.SLOT_PREFIX.name(), prefix,
                    "use 1 to 30 lower-case letters, digits or '_', starting with a letter (PostgreSQL's rule for slot names)"));
        }
        int timeout = (int) config.integer(JdbcOptions.CONNECT_TIMEOUT.name());
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", String.valueOf(timeout));
        properties.setProperty("sslmode", config.string(PostgresCdcSource.SSL_MODE.name()));
        JdbcSettings.parseParams(config.string(JdbcOptions.JDBC_PARAMS.name()), JdbcOptions.JDBC_PARAMS.name(), properties, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        JdbcSettings jdbc = new JdbcSettings("jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8),
                null, properties, config.string(JdbcOptions.USERNAME.name()), config.string(JdbcOptions.PASSWORD.name()),
                JdbcSettings.splitSchemas(config.string(PostgresCdcSource.SCHEMAS.name())), (int) config.integer(JdbcOptions.FETCH_SIZE.name()),
                timeout, "PostgreSQL at " + host + ":" + port + ", database " + database);
        return new PgCdcSettings(jdbc, host, port, database, config.string(PostgresCdcSource.SSL_MODE.name()), prefix,
                (int) config.integer(PostgresCdcSource.HEARTBEAT_SECONDS.name()), (int) config.integer(PostgresCdcSource.IDLE_SECONDS.name()));
    }

    /**
     * The replication slot (and publication) of one table: {@code <prefix>_<schema>_<table>}, lower-cased, other characters
     * as '_', shortened with a hash when longer than PostgreSQL allows. One slot per stream, so each stream's offset is its own.
     */
    String slotName(String schema, String table) {
        String raw = (slotPrefix + "_" + schema + "_" + table).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (raw.length() <= MAX_NAME) {
            return raw;
        }
        String hash = Integer.toHexString((schema + "\u0000" + table).hashCode());
        return raw.substring(0, MAX_NAME - hash.length() - 1) + "_" + hash;
    }
}
