package dev.caravan.source.jdbc;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A JDBC source for a database server named by host, port and database (PostgreSQL, MySQL/MariaDB). It reads those
 * options, the dialect's driver defaults, the extra JDBC parameters, fetch size and timeout the same way for every
 * server; a subclass gives the URL, its driver's TLS properties and the schemas read when none are configured.
 */
public abstract class ServerJdbcSource extends JdbcSource {
    private final ConfigOption port;
    private final ConfigOption schemas;
    private final String product;

    /** {@code product} names the server in messages, e.g. "PostgreSQL". */
    protected ServerJdbcSource(ConfigOption port, ConfigOption schemas, String product) {
        this.port = port;
        this.schemas = schemas;
        this.product = product;
    }

    /** The driver's JDBC URL of the database. */
    protected abstract String url(String host, long port, String database);

    /** Sets the driver's TLS properties from the config. */
    protected abstract void tls(ConnectorConfig config, Properties properties);

    /** The schemas to read: {@code configured} (empty when the option is) or the server's default for the database. */
    protected abstract List<String> schemas(List<String> configured, String database);

    @Override
    protected final JdbcSettings settings(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String host = JdbcHosts.forUrl(config.string(JdbcOptions.HOST.name()), problems);
        long portNumber = config.integer(port.name());
        String database = config.string(JdbcOptions.DATABASE.name());
        int timeout = (int) config.integer(JdbcOptions.CONNECT_TIMEOUT.name());
        Properties properties = new Properties();
        dialect().driverDefaults(timeout).forEach(properties::setProperty);
        tls(config, properties);
        JdbcSettings.parseParams(config.string(JdbcOptions.JDBC_PARAMS.name()), JdbcOptions.JDBC_PARAMS.name(), properties, problems);
        JdbcOptions.checkSplitReads(config, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new JdbcSettings(url(host, portNumber, database), null, properties, config.string(JdbcOptions.USERNAME.name()),
                config.string(JdbcOptions.PASSWORD.name()), schemas(JdbcSettings.splitSchemas(config.string(schemas.name())), database),
                (int) config.integer(JdbcOptions.FETCH_SIZE.name()), timeout,
                product + " at " + host + ":" + portNumber + ", database " + database);
    }
}
