package dev.caravan.acceptance;

import dev.caravan.source.jdbc.generic.GenericJdbcSource;
import dev.caravan.spi.SourceConnector;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The jdbc source (any URL and driver) passes the acceptance kit, on an in-memory H2 database. */
class GenericJdbcAcceptanceTest extends JdbcAcceptanceKit {
    private final String url = "jdbc:h2:mem:kit_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    private Connection keepAlive;

    @BeforeAll
    void start() throws Exception {
        keepAlive = DriverManager.getConnection(url, "sa", "");
        createTables(keepAlive);
    }

    @AfterAll
    void stop() throws Exception {
        keepAlive.createStatement().execute("SHUTDOWN");
        keepAlive.close();
    }

    @Override
    protected SourceConnector connector() {
        return new GenericJdbcSource();
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("url", url, "username", "sa", "schemas", "PUBLIC");
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("url", "jdbc:no-such-driver://x/y"), BadConfig.of("driver_class", "org.example.NoSuchDriver"),
                BadConfig.of("schemas", "NO_SUCH_SCHEMA"));
    }

    @Override
    protected String column(String column) {
        return column.toUpperCase();
    }

    @Override
    protected String stream(String table) {
        return "PUBLIC." + table.toUpperCase();
    }
}
