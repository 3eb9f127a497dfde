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
 * A fresh database on an embedded PostgreSQL started with {@code wal_level = logical} (the machine's server has
 * {@code replica}), shared by the test classes of one JVM; the database is dropped on close.
 */
public final class TestingLogicalPostgres implements AutoCloseable {
    private static EmbeddedPostgres server;

    private final String database;

    public TestingLogicalPostgres() {
        start();
        this.database = "caravan_cdc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database);
    }

    public int port() {
        return server.getPort();
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Runs statements in the test database, each in its own transaction (autocommit). */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs statements on the server's maintenance database (roles, databases). */
    public void admin(String... sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + database + "' AND active_pid IS NULL",
                "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private static synchronized void start() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("wal_level", "logical")
                        .setServerConfig("max_replication_slots", "20")
                        .setServerConfig("max_wal_senders", "20")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded PostgreSQL with wal_level=logical failed to start", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
    }
}
