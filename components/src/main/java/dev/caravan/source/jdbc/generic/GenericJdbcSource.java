package dev.caravan.source.jdbc.generic;

import dev.caravan.source.jdbc.ColumnInfo;
import dev.caravan.source.jdbc.ColumnMapping;
import dev.caravan.source.jdbc.JdbcDialect;
import dev.caravan.source.jdbc.JdbcOptions;
import dev.caravan.source.jdbc.JdbcSettings;
import dev.caravan.source.jdbc.JdbcSource;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.EmbeddedSecrets;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Any database with a JDBC driver on the class path: a URL, optionally the driver class, credentials. Types are mapped
 * by {@link java.sql.Types}, the catalog is read through {@link java.sql.DatabaseMetaData}, keyset conditions use plain
 * comparisons; streaming relies on the driver honouring the fetch size with autocommit off.
 */
public final class GenericJdbcSource extends JdbcSource {
    static final ConfigOption URL = ConfigOption.string("url").asRequired()
            .withDescription("JDBC URL of the database, e.g. jdbc:h2:/data/shop or jdbc:sqlserver://db:1433;databaseName=shop. "
                    + "Put credentials in username and password, not in the URL.");
    static final ConfigOption DRIVER_CLASS = ConfigOption.string("driver_class")
            .withDescription("Driver class to load, e.g. org.h2.Driver; only needed for drivers that do not register themselves.");
    static final ConfigOption USERNAME = ConfigOption.string("username").withDescription("User to connect as.");
    static final ConfigOption SCHEMAS = JdbcOptions.schemas(null,
            "Comma-separated schemas (catalogs for databases without schemas) whose tables and views become streams; empty for all "
                    + "but the system ones.");

    /** Off by default: plain JDBC gives no size estimate for auto, and not every database handles parallel range queries well. */
    static final ConfigOption SPLIT_READS = JdbcOptions.splitReads("off");

    public static final ConnectorSpec SPEC = new ConnectorSpec("jdbc", ConnectorSpec.ConnectorKind.SOURCE, "Generic JDBC",
            List.of(URL, DRIVER_CLASS, USERNAME, JdbcOptions.PASSWORD, SCHEMAS, JdbcOptions.JDBC_PARAMS, JdbcOptions.FETCH_SIZE, JdbcOptions.MAX_KEYS_AT_CURSOR,
                    SPLIT_READS, JdbcOptions.CONNECT_TIMEOUT));

    private static final JdbcDialect DIALECT = new JdbcDialect() {
        @Override
        public String product() {
            return "JDBC";
        }
    };

    /**
     * MySQL and MariaDB: identifiers in backticks (double quotes are strings unless ANSI_QUOTES is set); date-times
     * selected as their text, because MariaDB Connector/J builds even their getString through the JVM's time zone and
     * moves wall-clock times inside a daylight-saving gap by an hour.
     */
    private static final JdbcDialect MYSQL_LIKE_DIALECT = new JdbcDialect() {
        @Override
        public String product() {
            return "JDBC";
        }

        @Override
        public String quote(String identifier) {
            return '`' + identifier.replace("`", "``") + '`';
        }

        @Override
        public String selectExpression(ColumnInfo column, ColumnMapping mapping) {
            return column.jdbcType() == Types.TIMESTAMP ? "CAST(" + quote(column.name()) + " AS CHAR)" : quote(column.name());
        }
    };

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    protected JdbcDialect dialect() {
        return DIALECT;
    }

    @Override
    protected JdbcDialect dialect(JdbcSettings settings) {
        return settings.url().startsWith("jdbc:mysql:") || settings.url().startsWith("jdbc:mariadb:") ? MYSQL_LIKE_DIALECT : DIALECT;
    }

    @Override
    protected JdbcSettings settings(ConnectorConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        String url = config.string(URL.name()).strip();
        if (!url.startsWith("jdbc:")) {
            problems.add(new ConfigProblem(URL.name(), shown(url), "must start with jdbc:, e.g. jdbc:h2:/data/shop"));
        }
        Properties properties = new Properties();
        JdbcSettings.parseParams(config.string(JdbcOptions.JDBC_PARAMS.name()), JdbcOptions.JDBC_PARAMS.name(), properties, problems);
        JdbcOptions.checkSplitReads(config, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new JdbcSettings(url, config.string(DRIVER_CLASS.name()), properties, config.string(USERNAME.name()),
                config.string(JdbcOptions.PASSWORD.name()), JdbcSettings.splitSchemas(config.string(SCHEMAS.name())),
                (int) config.integer(JdbcOptions.FETCH_SIZE.name()), (int) config.integer(JdbcOptions.CONNECT_TIMEOUT.name()),
                "database " + shown(url));
    }

    /** The URL without its parameters, a password in its user information masked. */
    private static String shown(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';', '&'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return EmbeddedSecrets.masked(url.substring(0, cut));
    }
}
