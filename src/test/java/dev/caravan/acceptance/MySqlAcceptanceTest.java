package dev.caravan.acceptance;

import dev.caravan.source.jdbc.mysql.MySqlSource;
import dev.caravan.source.jdbc.mysql.MySqlTestData;
import dev.caravan.spi.SourceConnector;
import dev.caravan.testing.TestingMariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The mysql source passes the acceptance kit on the real MariaDB; its types golden file holds every scalar type. */
class MySqlAcceptanceTest extends JdbcAcceptanceKit {
    private TestingMariaDb maria;

    @BeforeAll
    void start() throws Exception {
        maria = new TestingMariaDb();
        try (Connection c = maria.connect(); Statement s = c.createStatement()) {
            createTables(c);
            s.execute("SET SESSION sql_mode = '', time_zone = '+00:00'");
            s.execute(MySqlTestData.ALL_TYPES_DDL);
            s.execute(MySqlTestData.ALL_TYPES_ROWS);
        }
    }

    @AfterAll
    void stop() {
        maria.close();
    }

    @Override
    protected SourceConnector connector() {
        return new MySqlSource();
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("host", "127.0.0.1", "port", maria.port(), "database", maria.database(), "username", "root");
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("host", "no-such-host.invalid"), BadConfig.of("port", 1), BadConfig.of("database", "no_such_database"),
                BadConfig.of("username", "no_such_user"), BadConfig.of("password", "wrong-password"));
    }

    @Override
    protected String stream(String table) {
        return maria.database() + "." + table;
    }

    @Override
    protected Path typesGolden() {
        return Path.of("src/test/resources/golden/acceptance/mysql.txt");
    }

    @Override
    protected String stableText(String text) {
        return text.replace(maria.database(), "<database>");
    }

    @Override
    protected String typesStream() {
        return maria.database() + ".all_types";
    }
}
