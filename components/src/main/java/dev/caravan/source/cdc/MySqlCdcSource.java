package dev.caravan.source.cdc;

import dev.caravan.source.jdbc.JdbcHosts;
import dev.caravan.source.jdbc.JdbcOptions;
import dev.caravan.source.jdbc.mysql.MySqlSource;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * MySQL/MariaDB change data capture from the binlog through Debezium (its MariaDB connector for MariaDB servers, its
 * MySQL connector otherwise): every table with a primary key of the configured database is a stream
 * {@code database.table}, an initial snapshot then the changes, with {@link CdcColumns#BINLOG_FIELDS}. The state of a
 * stream is the Debezium offset (binlog file, position, GTIDs, event and row within the transaction) of its last durable
 * change. Debezium's schema history is kept in memory: each read after the first rebuilds it from the current schema
 * ({@code snapshot.mode=recovery}).
 */
public final class MySqlCdcSource implements SourceConnector {
    static final ConfigOption PORT = JdbcOptions.port(3306);
    static final ConfigOption SERVER_ID = ConfigOption.integer("server_id").withDefault(0L).withRange(0, 4_294_967_295L)
            .withDescription("The replica server id Caravan's binlog reader uses; must differ from every server and replica of the "
                    + "replication topology. 0 derives one per stream from its name (between 100000 and 999999).");
    static final ConfigOption IDLE_SECONDS = ConfigOption.integer("idle_seconds").withDefault(5L).withRange(1, 3600)
            .withDescription("A scheduled sync ends when a heartbeat shows the reader past the binlog position of its start, or "
                    + "after this many seconds without changes once it streams (never during the initial snapshot).");

    public static final ConnectorSpec SPEC = new ConnectorSpec("mysql-cdc", ConnectorSpec.ConnectorKind.SOURCE, "MySQL / MariaDB CDC",
            List.of(JdbcOptions.HOST, PORT, JdbcOptions.DATABASE, JdbcOptions.USERNAME, JdbcOptions.PASSWORD, JdbcOptions.CONNECT_TIMEOUT,
                    SERVER_ID, IDLE_SECONDS));

    private final MySqlSource jdbc = new MySqlSource();

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public CheckResult check(ConnectorConfig config) {
        try {
            host(config);
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        }
        try (Connection connection = connect(config)) {
            List<String> problems = server(connection, config).problems();
            if (!problems.isEmpty()) {
                return CheckResult.failed(String.join(" ", problems));
            }
        } catch (SQLException e) {
            return jdbc.check(jdbcConfig(config));
        }
        return jdbc.check(jdbcConfig(config));
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        return CdcColumns.streamsOf(jdbc.discover(jdbcConfig(config)), CdcColumns.BINLOG_FIELDS, CdcColumns.LOG_POS);
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        String host = host(config);
        String target = target(config);
        if (!request.syncMode().incremental()) {
            throw CaravanException.config("Stream " + request.stream() + " uses sync mode " + request.syncMode() + ", but the mysql-cdc source reads "
                    + "changes only. Fix: use incremental_append or incremental_append_deduped, or the mysql source for full refreshes.");
        }
        try (Connection connection = connect(config)) {
            BinlogServer server = server(connection, config);
            server.requireReady();
            CatalogStream stream = discover(config).stream(request.stream()).orElseThrow(() -> CaravanException.config("Stream '" + request.stream()
                    + "' is not a table with a primary key in " + target + ". Fix: run discover and update the connection's streams, or add a "
                    + "primary key to the table."));
            Schema schema = PostgresCdcSource.outputSchema(stream.schema(), request.fields());
            String database = config.string(JdbcOptions.DATABASE.name());
            String table = request.stream().substring(database.length() + 1);
            long serverId = config.integer(SERVER_ID.name()) > 0 ? config.integer(SERVER_ID.name())
                    : 100_000 + Math.floorMod(request.stream().hashCode(), 900_000);
            String name = ("caravan_" + request.stream()).replaceAll("[^A-Za-z0-9_]", "_");
            Properties p = new Properties();
            p.setProperty("name", name);
            p.setProperty("connector.class", server.isMariaDb() ? "io.debezium.connector.mariadb.MariaDbConnector"
                    : "io.debezium.connector.mysql.MySqlConnector");
            p.setProperty("offset.storage", SeededOffsetStore.class.getName());
            p.setProperty(SeededOffsetStore.SEED, CdcOffsets.seed(name, request.state()));
            p.setProperty("offset.flush.interval.ms", "60000");
            p.setProperty("topic.prefix", name);
            p.setProperty("database.hostname", host);
            p.setProperty("database.port", String.valueOf(config.integer(PORT.name())));
            p.setProperty("database.user", config.string(JdbcOptions.USERNAME.name()));
            p.setProperty("database.password", config.string(JdbcOptions.PASSWORD.name()) == null ? "" : config.string(JdbcOptions.PASSWORD.name()));
            p.setProperty("database.server.id", String.valueOf(serverId));
            p.setProperty("database.include.list", regex(database));
            p.setProperty("table.include.list", regex(database) + "\\." + regex(table));
            p.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
            p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
            p.setProperty("snapshot.mode", request.state().isEmpty() ? "initial" : "recovery");
            p.setProperty("heartbeat.interval.ms", "1000");
            p.setProperty("tombstones.on.delete", "false");
            p.setProperty("decimal.handling.mode", "precise");
            p.setProperty("time.precision.mode", "adaptive_time_microseconds");
            p.setProperty("binary.handling.mode", "bytes");
            p.setProperty("include.schema.changes", "false");
            p.setProperty("connect.timeout.ms", String.valueOf(config.integer(JdbcOptions.CONNECT_TIMEOUT.name()) * 1000));
            p.setProperty("poll.interval.ms", "100");
            p.setProperty("errors.max.retries", "0");
            return new DebeziumStreamReader(name, schema, new ChangeRows(schema), p, request.state(), request.batchSize(),
                    new BinlogCatchUp(server.currentPosition(), config.integer(IDLE_SECONDS.name()) * 1000L, !request.state().isEmpty()));
        } catch (SQLException e) {
            ErrorType type = ErrorClassifier.classify(e);
            throw new CaravanException(type == ErrorType.TRANSIENT ? type : ErrorType.CONFIG, "Preparing change data capture of " + request.stream()
                    + " on " + target + " failed: " + e.getMessage(), e);
        }
    }

    private static BinlogServer server(Connection connection, ConnectorConfig config) {
        return new BinlogServer(connection, target(config), config.string(JdbcOptions.USERNAME.name()));
    }

    private static String host(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String host = JdbcHosts.forUrl(config.string(JdbcOptions.HOST.name()), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return host;
    }

    private static String target(ConnectorConfig config) {
        return "MySQL/MariaDB at " + config.string(JdbcOptions.HOST.name()) + ":" + config.integer(PORT.name()) + ", database "
                + config.string(JdbcOptions.DATABASE.name());
    }

    private static Connection connect(ConnectorConfig config) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.string(JdbcOptions.USERNAME.name()));
        String password = config.string(JdbcOptions.PASSWORD.name());
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", String.valueOf(config.integer(JdbcOptions.CONNECT_TIMEOUT.name()) * 1000));
        return DriverManager.getConnection("jdbc:mariadb://" + host(config) + ":" + config.integer(PORT.name()) + "/", properties);
    }

    private static ConnectorConfig jdbcConfig(ConnectorConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : MySqlSource.SPEC.optionNames()) {
            if (config.values().containsKey(name)) {
                values.put(name, config.values().get(name));
            }
        }
        return MySqlSource.SPEC.validate(values, "").withNetwork(config.network());
    }

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
