package dev.caravan.source.jdbc.mysql;

import dev.caravan.source.jdbc.JdbcDialect;
import dev.caravan.source.jdbc.JdbcOptions;
import dev.caravan.source.jdbc.ServerJdbcSource;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * MySQL and MariaDB source (MariaDB Connector/J speaks to both): every table and view of the configured databases is a
 * stream {@code database.table}. Reads stream with the driver's fetch size in a UTC session.
 */
public final class MySqlSource extends ServerJdbcSource {
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
                    JdbcOptions.JDBC_PARAMS, JdbcOptions.FETCH_SIZE, JdbcOptions.MAX_KEYS_AT_CURSOR, JdbcOptions.SPLIT_READS,
                    JdbcOptions.SPLIT_READS_MIN_ROWS, JdbcOptions.CONNECT_TIMEOUT));

    public MySqlSource() {
        super(PORT, SCHEMAS, "MySQL/MariaDB");
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    protected JdbcDialect dialect() {
        return MySqlDialect.INSTANCE;
    }

    @Override
    protected String url(String host, long port, String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    protected void tls(ConnectorConfig config, Properties properties) {
        properties.setProperty("sslMode", DRIVER_SSL_MODES.get(config.string(SSL_MODE.name())));
    }

    /** No databases configured: the database option's. */
    @Override
    protected List<String> schemas(List<String> configured, String database) {
        return configured.isEmpty() ? List.of(database) : configured;
    }
}
