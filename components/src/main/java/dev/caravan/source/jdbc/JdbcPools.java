package dev.caravan.source.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * HikariCP pools shared by the reads of one source configuration (same URL, properties and credentials). Pools keep no
 * idle connection for long (they close after a minute unused), and at most {@link #MAX_POOLS} pools are kept: the least
 * recently used one is closed when another is needed. Connections are read-only with autocommit off, so PostgreSQL
 * streams through a cursor and a returned connection never holds a transaction open.
 */
final class JdbcPools {
    static final int MAX_POOLS = 16;
    private static final Map<Key, HikariDataSource> POOLS = new LinkedHashMap<>(16, 0.75f, true);

    private JdbcPools() {
    }

    private record Key(String url, String driverClass, Properties properties, List<String> initSql) {
    }

    /** A pooled connection; the first use of a configuration creates its pool, which fails fast when the database refuses. */
    static Connection connection(JdbcSettings settings, JdbcDialect dialect) throws SQLException {
        return pool(settings, dialect).getConnection();
    }

    private static HikariDataSource pool(JdbcSettings settings, JdbcDialect dialect) {
        Key key = new Key(settings.url(), settings.driverClass(), settings.connectionProperties(), dialect.sessionInitSql());
        HikariDataSource stale = null;
        HikariDataSource pool;
        synchronized (POOLS) {
            pool = POOLS.get(key);
            if (pool != null && !pool.isClosed()) {
                return pool;
            }
        }
        pool = create(settings, dialect);
        synchronized (POOLS) {
            HikariDataSource raced = POOLS.get(key);
            if (raced != null && !raced.isClosed()) {
                stale = pool;
                pool = raced;
            } else {
                POOLS.put(key, pool);
                if (POOLS.size() > MAX_POOLS) {
                    Key eldest = POOLS.keySet().iterator().next();
                    stale = POOLS.remove(eldest);
                }
            }
        }
        if (stale != null) {
            stale.close();
        }
        return pool;
    }

    private static HikariDataSource create(JdbcSettings settings, JdbcDialect dialect) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("caravan-" + dialect.product().replaceAll("[^A-Za-z]", "").toLowerCase() + "-" + Integer.toHexString(
                Objects.hash(settings.url(), settings.user())));
        config.setJdbcUrl(settings.url());
        if (settings.driverClass() != null && !settings.driverClass().isBlank()) {
            config.setDriverClassName(settings.driverClass());
        }
        config.setDataSourceProperties(settings.connectionProperties());
        config.setAutoCommit(false);
        config.setReadOnly(true);
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(0);
        config.setIdleTimeout(60_000);
        config.setConnectionTimeout(Math.max(250, settings.connectTimeoutSeconds() * 1000L + 2_000L));
        List<String> init = dialect.sessionInitSql();
        if (!init.isEmpty()) {
            config.setConnectionInitSql(String.join("; ", init));
        }
        // fail on the first refused attempt (wrong password, unknown database) instead of waiting for the timeout
        config.setInitializationFailTimeout(1);
        return new HikariDataSource(config);
    }
}
