package dev.caravan.source.jdbc.generic;

import static dev.caravan.source.jdbc.JdbcTesting.readResumingAfterEveryBatch;
import static dev.caravan.source.jdbc.JdbcTesting.request;
import static dev.caravan.source.jdbc.JdbcTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.SyncMode;
import dev.caravan.testing.Golden;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic jdbc connector on H2 (a driver the connector knows nothing about): catalog, types, keyset resume, a sync. */
class GenericJdbcSourceTest {
    private static final GenericJdbcSource SOURCE = new GenericJdbcSource();
    private static final String URL = "jdbc:h2:mem:generic_jdbc_test;DB_CLOSE_DELAY=-1";
    private static Connection keepAlive;

    @BeforeAll
    static void start() throws Exception {
        keepAlive = DriverManager.getConnection(URL, "sa", "");
        try (Statement s = keepAlive.createStatement()) {
            s.execute("""
                    CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2), ratio DOUBLE PRECISION, active BOOLEAN,
                      born DATE, seen TIMESTAMP, seen_tz TIMESTAMP WITH TIME ZONE, data VARBINARY(8), tags INT ARRAY, big BIGINT);
                    INSERT INTO items SELECT x, 'item ' || x, x / 4.0, x / 3.0, MOD(x, 2) = 0, DATEADD(DAY, x, DATE '2024-01-01'),
                      DATEADD(HOUR, x / 10, TIMESTAMP '2024-01-01 00:00:00'), TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+02',
                      X'0102', ARRAY[x, x + 1], x * 10000000000 FROM SYSTEM_RANGE(1, 95);
                    CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 5;
                    """);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        keepAlive.close();
    }

    private static ConnectorConfig config() {
        return SOURCE.spec().validate(Map.of("url", URL, "driver_class", "org.h2.Driver", "username", "sa", "schemas", "PUBLIC"), "");
    }

    @Test
    void discoversAndReadsThroughPlainJdbc() {
        assertThat(SOURCE.check(config())).isEqualTo(CheckResult.ok());
        Catalog catalog = SOURCE.discover(config());
        Golden.assertMatches(Path.of("src/test/resources/golden/jdbc/generic-h2-catalog.txt"), JdbcTesting.catalogText(catalog));
        List<Object[]> rows = rows(SOURCE, config(), request("PUBLIC.ITEMS", SyncMode.FULL_REFRESH_APPEND, null, List.of(), Map.of(), 1000));
        assertThat(rows).hasSize(95);
        assertThat(rows.get(0)).containsExactly(1, "item 1", new BigDecimal("0.25"), 0.333, false, LocalDate.of(2024, 1, 2),
                LocalDateTime.of(2024, 1, 1, 0, 0), Instant.parse("2023-12-31T22:00:00Z"), new byte[] {1, 2}, "[1,2]", 10_000_000_000L);
    }

    @Test
    void incrementalReadsResumeAfterEveryBatch() {
        List<Object[]> all = rows(SOURCE, config(), request("PUBLIC.ITEMS", SyncMode.INCREMENTAL_APPEND, "SEEN", List.of("ID"), Map.of(), 1000));
        List<Object[]> resumed = readResumingAfterEveryBatch(SOURCE, config(),
                request("PUBLIC.ITEMS", SyncMode.INCREMENTAL_APPEND, "SEEN", List.of("ID"), Map.of(), 7));
        assertThat(resumed).extracting(r -> r[0]).containsExactlyElementsOf(all.stream().map(r -> r[0]).toList());
        assertThat(all).hasSize(95);
    }

    @Test
    void syncsThroughTheServer(@TempDir Path home) {
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            server.server().apply("""
                    sources:
                      - {name: h2, connector: jdbc, config: {url: "%s", username: sa, schemas: PUBLIC}}
                    %sconnections:
                      - name: h2-items
                        source: h2
                        destination: lake
                        streams: [{name: PUBLIC.ITEMS, sync_mode: full_refresh_overwrite}, {name: PUBLIC.CHEAP}]
                    """.formatted(URL, JdbcTesting.lakeDestination(lake)), "h2.yaml");
            assertThat(JdbcTesting.sync(server, "h2-items").records()).isEqualTo(95 + 19);
            assertThat(duck.count("SELECT sum(PRICE * 4) FROM " + ParquetQuery.files(lake.resolve("raw/PUBLIC.ITEMS")))).isEqualTo(95 * 96 / 2);
        }
    }
}
