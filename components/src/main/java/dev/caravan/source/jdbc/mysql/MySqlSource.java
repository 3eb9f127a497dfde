package dev.caravan.source.jdbc.mysql;

import dev.caravan.source.jdbc.JdbcDialect;
import dev.caravan.source.jdbc.JdbcHosts;
import dev.caravan.source.jdbc.JdbcOptions;
import dev.caravan.source.jdbc.JdbcSettings;
import dev.caravan.source.jdbc.JdbcSource;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * MySQL and MariaDB source (MariaDB Connector/J speaks to both): every table and view of the configured databases is a
 * stream {@code database.table}. Reads stream with the driver's fetch size in a UTC session.
 */
public final class MySqlSource extends JdbcSource {
    static final ConfigOption PORT = JdbcOptions.port(3306);
    static final ConfigOption SCHEMAS = JdbcOptions.schemas(null,
            "Comma-separated databases whose tables and views become streams; empty for the database option's only.");
    static final ConfigOption SSL_MODE = JdbcOptions.sslMode("disable",
            "TLS: disable, require (TLS, no certificate check), verify-ca or verify-full (certificate checked; verify-full also "
                    + "checks the host name).", "disable", "require", "verify-ca", "verify-full");
    private static final Map<String, String> DRIVER_SSL_MODES = Map.of("disable", "disable", "require", "trust",
            "verify-ca", "verify-ca", "verify-full", "verify-full");

    public static final ConnectorSpec SPEC = new ConnectorSpec("mysql", ConnectorSpec.ConnectorKind.SOURCE, "MySQL / MariaDB",
            List.of(JdbcOptions.HOST, PORT, JdbcOptions.DATABASE, SCHEMAS, JdbcOptions.USERNAME, JdbcOptions.PASSWORD, SSL_MODE,
                    JdbcOptions.JDBC_PARAMS, JdbcOptions.FETCH_SIZE, JdbcOptions.CONNECT_TIMEOUT));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    protected JdbcDialect dialect() {
        return MySqlDialect.INSTANCE;
    }

    @Override
    protected JdbcSettings settings(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String host = JdbcHosts.forUrl(config.string(JdbcOptions.HOST.name()), problems);
        long port = config.integer(PORT.name());
        String database = config.string(JdbcOptions.DATABASE.name());
        int timeout = (int) config.integer(JdbcOptions.CONNECT_TIMEOUT.name());
        Properties properties = new Properties();
        MySqlDialect.INSTANCE.driverDefaults(timeout).forEach(properties::setProperty);
        properties.setProperty("sslMode", DRIVER_SSL_MODES.get(config.string(SSL_MODE.name())));
        JdbcSettings.parseParams(config.string(JdbcOptions.JDBC_PARAMS.name()), JdbcOptions.JDBC_PARAMS.name(), properties, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        List<String> schemas = JdbcSettings.splitSchemas(config.string(SCHEMAS.name()));
        String url = "jdbc:mariadb://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return new JdbcSettings(url, null, properties, config.string(JdbcOptions.USERNAME.name()), config.string(JdbcOptions.PASSWORD.name()),
                schemas.isEmpty() ? List.of(database) : schemas, (int) config.integer(JdbcOptions.FETCH_SIZE.name()), timeout,
                "MySQL/MariaDB at " + host + ":" + port + ", database " + database);
    }
}
