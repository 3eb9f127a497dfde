package dev.caravan.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.EmbeddedSecrets;
import dev.caravan.spi.ErrorType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The metadata store's connection pool, migrated to the latest schema on open. The embedded default is an
 * H2 file database; any JDBC URL with the same migrations works (PostgreSQL in production).
 */
public final class StateDatabase implements AutoCloseable {
    /** The newest version among the migrations (db/caravan and the Java ones); StateDatabaseTest keeps it in step with them. */
    static final String SCHEMA_VERSION = "13";

    private final HikariDataSource dataSource;

    private StateDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static StateDatabase open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, true);
    }

    /** With {@code fromTemplate}, a new embedded store starts as a copy of the build's migrated one ({@link H2StoreTemplate}). */
    static StateDatabase open(String jdbcUrl, String user, String password, boolean fromTemplate) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (fromTemplate) {
            H2StoreTemplate.seed(withoutCloseOnExit(jdbcUrl), user, password);
        }
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
            if (!isCurrent(dataSource)) {
                migrate(dataSource, jdbcUrl.startsWith("jdbc:h2:"));
            }
        } catch (FlywayException | SQLException e) {
            dataSource.close();
            throw new CaravanException(ErrorType.SYSTEM, "Migrating the state database at " + redact(jdbcUrl) + " failed: " + e.getMessage(), e);
        }
        return new StateDatabase(dataSource);
    }

    /**
     * Runs the migrations Flyway finds missing. An embedded H2 store writes every commit to its file as it happens
     * ({@code WRITE_DELAY=0} in its URL); while migrating, its commits are written together instead (each migration and
     * its history row are one commit; a crash keeps a consistent prefix of them, and the next start runs the rest), then
     * everything is written out and every commit is again written as it happens.
     */
    private static void migrate(HikariDataSource dataSource, boolean h2) throws SQLException {
        if (h2) {
            setH2WriteDelay(dataSource, 1000);
        }
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/caravan").javaMigrations(new QuartzTablesMigration()).load().migrate();
        } finally {
            if (h2) {
                setH2WriteDelay(dataSource, 0);
            }
        }
    }

    private static void setH2WriteDelay(DataSource dataSource, int millis) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (millis == 0) {
                statement.execute("CHECKPOINT SYNC");
            }
            statement.execute("SET WRITE_DELAY " + millis);
        }
    }

    /**
     * Whether the store's schema is at {@link #SCHEMA_VERSION} already, every migration applied successfully and none
     * newer (a store migrated by a newer server goes to Flyway, which decides as before): then Flyway is not even loaded, which
     * saves a scan of the class path on every start.
     */
    static boolean isCurrent(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            boolean latest = false;
            while (rows.next()) {
                int order = compareVersions(rows.getString(1), SCHEMA_VERSION);
                if (!rows.getBoolean(2) || order > 0) {
                    return false;
                }
                latest |= order == 0;
            }
            return latest;
        } catch (SQLException | RuntimeException e) {
            return false; // a new store (no history table yet), or one Flyway should look at
        }
    }

    /** Orders dotted versions (10.1 after 10, 11 after 10.1) numerically. */
    static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? Long.parseLong(left[i]) : 0;
            long r = i < right.length ? Long.parseLong(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
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
