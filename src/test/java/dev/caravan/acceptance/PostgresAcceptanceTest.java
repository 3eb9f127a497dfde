package dev.caravan.acceptance;

import dev.caravan.source.jdbc.postgres.PostgresSource;
import dev.caravan.source.jdbc.postgres.PostgresTestData;
import dev.caravan.spi.SourceConnector;
import dev.caravan.testing.TestingPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The postgres source passes the acceptance kit on the real PostgreSQL; its types golden file holds every scalar type. */
class PostgresAcceptanceTest extends JdbcAcceptanceKit {
    private TestingPostgres pg;

    @BeforeAll
    void start() throws Exception {
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            createTables(c);
            s.execute(PostgresTestData.ALL_TYPES_DDL);
            s.execute(PostgresTestData.ALL_TYPES_ROWS);
        }
    }

    @AfterAll
    void stop() {
        pg.close();
    }

    @Override
    protected SourceConnector connector() {
        return new PostgresSource();
    }

    @Override
    protected Map<String, Object> config() {
        String rest = pg.jdbcUrl().substring("jdbc:postgresql://127.0.0.1:".length());
        return Map.of("host", "127.0.0.1", "port", Integer.parseInt(rest.substring(0, rest.indexOf('/'))),
                "database", rest.substring(rest.indexOf('/') + 1), "username", "postgres");
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("host", "no-such-host.invalid"), BadConfig.of("port", 1), BadConfig.of("database", "no_such_database"),
                BadConfig.of("username", "no_such_user"), BadConfig.of("schemas", "no_such_schema"));
    }

    @Override
    protected String stream(String table) {
        return "public." + table;
    }

    @Override
    protected Path typesGolden() {
        return Path.of("src/test/resources/golden/acceptance/postgres.txt");
    }

    @Override
    protected String typesStream() {
        return "public.all_types";
    }
}
