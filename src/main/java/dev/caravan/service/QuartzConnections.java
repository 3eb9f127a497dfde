package dev.caravan.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/**
 * Hands Quartz's JDBC job store connections of the metadata store's pool. Quartz creates its connection provider by class
 * name from its properties, so the pool is found by the key those properties carry ({@link #register}).
 */
public final class QuartzConnections implements ConnectionProvider {
    private static final Map<String, DataSource> POOLS = new ConcurrentHashMap<>();
    private DataSource dataSource;
    private String key;

    /** Makes {@code dataSource} findable by the key returned, for the property {@code org.quartz.dataSource.<name>.key}. */
    static String register(DataSource dataSource) {
        String key = UUID.randomUUID().toString();
        POOLS.put(key, dataSource);
        return key;
    }

    /** Set by Quartz from {@code org.quartz.dataSource.<name>.key}. */
    public void setKey(String key) {
        this.key = key;
    }

    @Override
    public void initialize() throws SQLException {
        dataSource = POOLS.get(key);
        if (dataSource == null) {
            throw new SQLException("no metadata store registered for Quartz under key " + key);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void shutdown() {
        // the pool belongs to the server, which closes it after Quartz has stopped
        POOLS.remove(key);
    }
}
