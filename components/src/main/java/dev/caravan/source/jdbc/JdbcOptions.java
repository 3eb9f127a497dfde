package dev.caravan.source.jdbc;

import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.SplitReads;
import java.util.List;

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
    public static final ConfigOption SPLIT_READS_MIN_ROWS = ConfigOption.integer("split_reads_min_rows").withDefault(2_000_000L)
            .withRange(0, Long.MAX_VALUE)
            .withDescription("split_reads auto: the estimated row count (from the database's statistics) from which a table is split.");
    public static final ConfigOption CONNECT_TIMEOUT = ConfigOption.integer("connect_timeout_seconds").withDefault(10L).withRange(1, 600)
            .withDescription("Seconds to wait for a connection before the attempt fails.");

    /** The {@code split_reads} option; {@code defaultValue} auto or off. */
    public static final ConfigOption SPLIT_READS = splitReads("auto");

    private JdbcOptions() {
    }

    /**
     * {@code split_reads}: the default of streams that set none. Validated by {@link #checkSplitReads} (auto, off or a
     * number of ranges is not an enumeration).
     */
    public static ConfigOption splitReads(String defaultValue) {
        return ConfigOption.string("split_reads").withDefault(defaultValue)
                .withDescription("Full refresh streams with a one-column whole-number primary key: read each table in parallel key ranges, "
                        + "each on its own connection. auto splits tables of at least split_reads_min_rows rows (estimated "
                        + "from the statistics of PostgreSQL or MySQL/MariaDB; the generic jdbc connector has none, so its auto never splits) into "
                        + "half the machine's cores, at most " + SplitRead.AUTO_RANGES + " ranges (below 4 cores auto does not split: the ranges "
                        + "would take the cores of the writer and the database); off reads every table with one query; 2 to " + SplitReads.MAX_RANGES
                        + " splits every such table into that many ranges. A stream's own split_reads overrides it.");
    }

    /** Adds a problem when {@code split_reads} is not auto, off or a number of ranges. */
    public static void checkSplitReads(ConnectorConfig config, List<ConfigProblem> problems) {
        String value = config.string(SPLIT_READS.name());
        if (value != null && SplitReads.parse(value).isEmpty()) {
            problems.add(new ConfigProblem(SPLIT_READS.name(), value, SplitReads.RULE));
        }
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
