package dev.caravan.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.EmbeddedSecrets;
import dev.caravan.spi.ErrorType;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The metadata store's connection pool, migrated to the latest schema on open. The embedded default is an
 * H2 file database; any JDBC URL with the same migrations works (PostgreSQL in production).
 */
public final class StateDatabase implements AutoCloseable {
    private final HikariDataSource dataSource;

    private StateDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static StateDatabase open(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withoutCloseOnExit(jdbcUrl));
        // Empty credentials are left unset, so ones given in the URL (?user=...) apply.
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setPoolName("caravan-state");
        config.setInitializationFailTimeout(5_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new CaravanException(ErrorType.CONFIG, "Cannot open the state database at " + redact(jdbcUrl) + ": "
                    + rootMessage(e) + ". Check caravan.state.url, user and password.", e);
        }
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/caravan").javaMigrations(new QuartzTablesMigration()).load().migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new CaravanException(ErrorType.SYSTEM, "Migrating the state database at " + redact(jdbcUrl) + " failed: " + e.getMessage(), e);
        }
        return new StateDatabase(dataSource);
    }

    /** The URL with its secrets (user-information password, password parameters...) masked, for logs and messages. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl == null ? null : EmbeddedSecrets.masked(jdbcUrl);
    }

    /**
     * An embedded H2 database closes itself in a JVM shutdown hook, while jobs may still be ending (their history rows
     * would be lost and their Quartz threads left waiting); this pool is closed by the server after them instead.
     */
    static String withoutCloseOnExit(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")
                ? jdbcUrl + ";DB_CLOSE_ON_EXIT=FALSE" : jdbcUrl;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
