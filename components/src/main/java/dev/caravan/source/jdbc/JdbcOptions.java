package dev.caravan.source.jdbc;

import dev.caravan.spi.ConfigOption;

/** The options JDBC sources share, declared once; each connector picks the ones it takes and sets its defaults. */
public final class JdbcOptions {
    public static final ConfigOption HOST = ConfigOption.string("host").asRequired()
            .withDescription("Host name or IP address of the database server.");
    public static final ConfigOption DATABASE = ConfigOption.string("database").asRequired()
            .withDescription("Database to connect to.");
    public static final ConfigOption USERNAME = ConfigOption.string("username").asRequired()
            .withDescription("User to connect as; it needs to read the tables to sync (SELECT) and their catalog.");
    public static final ConfigOption PASSWORD = ConfigOption.string("password").asSecret()
            .withDescription("Password of the user; empty for passwordless authentication.");
    public static final ConfigOption JDBC_PARAMS = ConfigOption.string("jdbc_params")
            .withDescription("Extra JDBC driver properties as key=value pairs separated by '&', e.g. "
                    + "'socketTimeout=600&tcpKeepAlive=true'. Username and password go in their own options.");
    public static final ConfigOption FETCH_SIZE = ConfigOption.integer("fetch_size").withDefault(10_000L).withRange(1, 1_000_000)
            .withDescription("Rows the driver fetches per round trip while streaming a table; memory use grows with it.");
    public static final ConfigOption MAX_KEYS_AT_CURSOR = ConfigOption.integer("max_keys_at_cursor").withDefault(1_000L).withRange(0, 100_000)
            .withDescription("Incremental streams with a primary key: how many keys of the rows at the last cursor value the state keeps, "
                    + "so that the next sync reads that value again and skips only those rows (a row added later with the same cursor "
                    + "value is not lost). When more rows share the last cursor value, the next sync resumes after the last key read "
                    + "and the job shows a warning; 0 always resumes after the last key.");
    public static final ConfigOption CONNECT_TIMEOUT = ConfigOption.integer("connect_timeout_seconds").withDefault(10L).withRange(1, 600)
            .withDescription("Seconds to wait for a connection before the attempt fails.");

    private JdbcOptions() {
    }

    public static ConfigOption port(long defaultPort) {
        return ConfigOption.integer("port").withDefault(defaultPort).withRange(1, 65_535)
                .withDescription("TCP port of the database server.");
    }

    public static ConfigOption schemas(String defaultValue, String description) {
        ConfigOption option = ConfigOption.string("schemas").withDescription(description);
        return defaultValue == null ? option : option.withDefault(defaultValue);
    }

    public static ConfigOption sslMode(String defaultValue, String description, String... allowed) {
        return ConfigOption.string("ssl_mode").withDefault(defaultValue).withAllowedValues(allowed).withDescription(description);
    }
}
