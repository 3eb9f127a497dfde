package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC source behind the {@code postgres}, {@code mysql} and {@code jdbc} connectors: a dialect and the connector's
 * own settings are all that differ. {@code check} connects without the pool (so a refusal is reported as the server
 * gave it), lists the schemas and probes that their tables can be read; {@code discover} and {@code read} use a pooled
 * connection. Each stream is one table or view, named {@code schema.table} (see {@link StreamNames}).
 */
public abstract class JdbcSource implements SourceConnector {
    /** Tables probed with a zero-row SELECT by {@code check}. */
    static final int PROBED_TABLES = 50;

    protected abstract JdbcDialect dialect();

    /** The dialect for one database; by default the connector's only one. */
    protected JdbcDialect dialect(JdbcSettings settings) {
        return dialect();
    }

    /** The validated settings of {@code config}; a {@link ConfigException} names every remaining problem. */
    protected abstract JdbcSettings settings(ConnectorConfig config);

    @Override
    public CheckResult check(ConnectorConfig config) {
        JdbcSettings settings;
        try {
            settings = settings(config);
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        }
        Connection connection;
        try {
            connection = open(settings);
        } catch (SQLException | RuntimeException e) {
            return CheckResult.failed(JdbcErrors.connecting(e, settings).getMessage());
        }
        try (connection) {
            return checkAccess(connection, settings);
        } catch (SQLException | RuntimeException e) {
            return CheckResult.failed(JdbcErrors.during("reading the catalog", e, settings).getMessage());
        }
    }

    private CheckResult checkAccess(Connection connection, JdbcSettings settings) throws SQLException {
        JdbcDialect dialect = dialect(settings);
        List<String> existing = dialect.allSchemas(connection);
        List<String> missing = settings.schemas().stream().filter(s -> !existing.contains(s)).toList();
        if (!missing.isEmpty()) {
            return CheckResult.failed("Connected to " + settings.target() + ", but schema " + String.join(", ", missing)
                    + " does not exist or is not visible to user '" + settings.user() + "'. Fix: correct the schemas option; existing schemas: "
                    + String.join(", ", existing));
        }
        List<String> schemas = JdbcCatalog.schemas(connection, dialect, settings);
        List<TableRef> tables = new ArrayList<>();
        for (String schema : schemas) {
            tables.addAll(dialect.tables(connection, schema));
        }
        if (tables.isEmpty()) {
            return CheckResult.failed("Connected to " + settings.target() + ", but schemas " + String.join(", ", schemas)
                    + " hold no table or view. Fix: check the schemas option.");
        }
        List<String> unreadable = new ArrayList<>();
        for (TableRef table : tables.subList(0, Math.min(PROBED_TABLES, tables.size()))) {
            try (Statement probe = connection.createStatement()) {
                probe.setMaxRows(1);
                probe.executeQuery("SELECT * FROM " + dialect.qualified(table) + " WHERE 1 = 0").close();
            } catch (SQLException e) {
                unreadable.add(table.streamName());
            }
        }
        if (!unreadable.isEmpty()) {
            return CheckResult.failed("Connected to " + settings.target() + ", but user '" + settings.user() + "' cannot read "
                    + String.join(", ", unreadable) + ". Fix: grant SELECT on them, or leave them out of the connection.");
        }
        return CheckResult.ok();
    }

    @Override
    public Catalog discover(ConnectorConfig config) {
        JdbcSettings settings = settings(config);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = pooled(settings)) {
                return JdbcCatalog.discover(connection, dialect(settings), settings);
            } catch (SQLException e) {
                if (attempt > 1 || !connectionLost(e)) {
                    throw JdbcErrors.during("reading the catalog", e, settings);
                }
            }
        }
    }

    @Override
    public StreamReader read(ConnectorConfig config, ReadRequest request) {
        JdbcSettings settings = settings(config);
        for (int attempt = 1; ; attempt++) {
            Connection connection = pooled(settings);
            try {
                JdbcDialect dialect = dialect(settings);
                JdbcTable table = JdbcCatalog.table(connection, dialect, settings, request.stream());
                ReadQuery query = ReadQuery.plan(table, request, dialect, (int) config.integer(JdbcOptions.MAX_KEYS_AT_CURSOR.name()));
                StreamReader split = SplitRead.open(connection, dialect, settings, table, request, query, SplitRead.Settings.of(config));
                return split != null ? split : new JdbcStreamReader(connection, dialect, settings, query, request.batchSize());
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                if (e instanceof CaravanException ce) {
                    throw ce;
                }
                if (attempt > 1 || !connectionLost(e)) {
                    throw JdbcErrors.during("reading the catalog of stream " + request.stream(), e, settings);
                }
            }
        }
    }

    /**
     * A pooled connection the server has closed (restart, idle kill): the pool discards it on this error, so one more
     * attempt gets a fresh one — and reports the real cause (e.g. a changed password) if that fails too.
     */
    private static boolean connectionLost(Exception e) {
        return e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08");
    }

    private Connection pooled(JdbcSettings settings) {
        try {
            return JdbcPools.connection(settings, dialect(settings));
        } catch (SQLException | RuntimeException e) {
            throw JdbcErrors.connecting(e, settings);
        }
    }

    /** A connection outside the pool, with autocommit on so that a failed probe does not end the others. */
    private static Connection open(JdbcSettings settings) throws SQLException {
        if (settings.driverClass() != null && !settings.driverClass().isBlank()) {
            try {
                Class.forName(settings.driverClass());
            } catch (ClassNotFoundException e) {
                throw CaravanException.config("JDBC driver class " + settings.driverClass() + " is not on the class path. "
                        + "Fix: add the driver's jar to the server's class path or correct driver_class.");
            }
        }
        Driver driver = DriverManager.getDriver(settings.url());
        Connection connection = driver.connect(settings.url(), settings.connectionProperties());
        if (connection == null) {
            throw CaravanException.config("No JDBC driver accepts the URL of " + settings.target() + ". Fix: correct the URL or add its driver.");
        }
        return connection;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the failure that led here is the one to report
        }
    }
}
