package dev.caravan.source.jdbc.postgres;

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
import java.util.Properties;

/**
 * PostgreSQL source: every table, partitioned table, view, materialized view and foreign table of the configured
 * schemas is a stream {@code schema.table}. Reads stream through a server-side cursor (autocommit off + fetch size).
 */
public final class PostgresSource extends JdbcSource {
    static final ConfigOption PORT = JdbcOptions.port(5432);
    static final ConfigOption SCHEMAS = JdbcOptions.schemas("public",
            "Comma-separated schemas whose tables and views become streams; empty for every schema but the system ones.");
    static final ConfigOption SSL_MODE = JdbcOptions.sslMode("prefer",
            "TLS: disable, prefer (TLS when the server offers it), require (TLS, no certificate check), verify-ca or verify-full "
                    + "(certificate checked against the JVM's or sslrootcert's CA; verify-full also checks the host name).",
            "disable", "prefer", "require", "verify-ca", "verify-full");

    public static final ConnectorSpec SPEC = new ConnectorSpec("postgres", ConnectorSpec.ConnectorKind.SOURCE, "PostgreSQL",
            List.of(JdbcOptions.HOST, PORT, JdbcOptions.DATABASE, SCHEMAS, JdbcOptions.USERNAME, JdbcOptions.PASSWORD, SSL_MODE,
                    JdbcOptions.JDBC_PARAMS, JdbcOptions.FETCH_SIZE, JdbcOptions.CONNECT_TIMEOUT));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    protected JdbcDialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    @Override
    protected JdbcSettings settings(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String host = JdbcHosts.forUrl(config.string(JdbcOptions.HOST.name()), problems);
        long port = config.integer(PORT.name());
        String database = config.string(JdbcOptions.DATABASE.name());
        int timeout = (int) config.integer(JdbcOptions.CONNECT_TIMEOUT.name());
        Properties properties = new Properties();
        PostgresDialect.INSTANCE.driverDefaults(timeout).forEach(properties::setProperty);
        properties.setProperty("sslmode", config.string(SSL_MODE.name()));
        JdbcSettings.parseParams(config.string(JdbcOptions.JDBC_PARAMS.name()), JdbcOptions.JDBC_PARAMS.name(), properties, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
        return new JdbcSettings(url, null, properties, config.string(JdbcOptions.USERNAME.name()), config.string(JdbcOptions.PASSWORD.name()),
                JdbcSettings.splitSchemas(config.string(SCHEMAS.name())), (int) config.integer(JdbcOptions.FETCH_SIZE.name()), timeout,
                "PostgreSQL at " + host + ":" + port + ", database " + database);
    }
}
