package dev.caravan.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one test class, dropped on close. Uses the server at 127.0.0.1:5432 (user postgres,
 * trust auth) when it answers; otherwise starts an embedded PostgreSQL, so the suite runs on any machine with a JDK.
 */
public final class TestingPostgres implements AutoCloseable {
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/";
    private static EmbeddedPostgres embedded;

    private final String serverUrl;
    private final String user;
    private final String database;

    public TestingPostgres() {
        this.serverUrl = serverUrl();
        this.user = "postgres";
        this.database = "caravan_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database);
    }

    public String jdbcUrl() {
        return serverUrl + database;
    }

    /** The server's port (5432 for the local one, another for the embedded one). */
    public int port() {
        String afterHost = serverUrl.substring(serverUrl.indexOf("//") + 2);
        return Integer.parseInt(afterHost.substring(afterHost.indexOf(':') + 1, afterHost.indexOf('/')));
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, "");
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + serverUrl + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private static synchronized String serverUrl() {
        try (Connection c = DriverManager.getConnection(LOCAL_URL + "postgres", "postgres", "")) {
            return LOCAL_URL;
        } catch (SQLException notRunning) {
            if (embedded == null) {
                try {
                    embedded = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("no PostgreSQL at 127.0.0.1:5432 and the embedded one failed to start", e);
                }
            }
            return "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/";
        }
    }
}
