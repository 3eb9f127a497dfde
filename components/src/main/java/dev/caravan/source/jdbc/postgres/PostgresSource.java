package dev.caravan.source.jdbc.postgres;

import dev.caravan.source.jdbc.JdbcDialect;
import dev.caravan.source.jdbc.JdbcOptions;
import dev.caravan.source.jdbc.ServerJdbcSource;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

/**
 * PostgreSQL source: every table, partitioned table, view, materialized view and foreign table of the configured
 * schemas is a stream {@code schema.table}. Reads stream through a server-side cursor (autocommit off + fetch size).
 */
public final class PostgresSource extends ServerJdbcSource {
    static final ConfigOption PORT = JdbcOptions.port(5432);
    static final ConfigOption SCHEMAS = JdbcOptions.schemas("public",
            "Comma-separated schemas whose tables and views become streams; empty for every schema but the system ones.");
    static final ConfigOption SSL_MODE = JdbcOptions.sslMode("prefer",
            "TLS: disable, prefer (TLS when the server offers it), require (TLS, no certificate check), verify-ca or verify-full "
                    + "(certificate checked against the JVM's or sslrootcert's CA; verify-full also checks the host name).",
            "disable", "prefer", "require", "verify-ca", "verify-full");

    public static final ConnectorSpec SPEC = new ConnectorSpec("postgres", ConnectorSpec.ConnectorKind.SOURCE, "PostgreSQL",
            List.of(JdbcOptions.HOST, PORT, JdbcOptions.DATABASE, SCHEMAS, JdbcOptions.USERNAME, JdbcOptions.PASSWORD, SSL_MODE,
                    JdbcOptions.JDBC_PARAMS, JdbcOptions.FETCH_SIZE, JdbcOptions.MAX_KEYS_AT_CURSOR, JdbcOptions.SPLIT_READS,
                    JdbcOptions.SPLIT_READS_MIN_ROWS, JdbcOptions.CONNECT_TIMEOUT));

    public PostgresSource() {
        super(PORT, SCHEMAS, "PostgreSQL");
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    protected JdbcDialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    @Override
    protected String url(String host, long port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }

    @Override
    protected void tls(ConnectorConfig config, Properties properties) {
        properties.setProperty("sslmode", config.string(SSL_MODE.name()));
    }

    /** No schemas configured: every schema but the system ones. */
    @Override
    protected List<String> schemas(List<String> configured, String database) {
        return configured;
    }
}
