package dev.caravan.source.jdbc.postgres;

import static dev.caravan.source.jdbc.postgres.PostgresTestData.ALL_TYPES_DDL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.SyncMode;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.Golden;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.TimeZone;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The postgres connector against the real PostgreSQL: every type through a running server into Parquet, read back with
 * DuckDB; odd identifiers; the discovered catalog (golden file); full refresh and incremental across syncs with cursor
 * ties; a table without primary key; a view; a dropped table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PostgresSource SOURCE = new PostgresSource();

    @TempDir
    static Path home;
    private static TestingPostgres pg;
    private static TestingServer server;
    private static ParquetQuery duck;
    private static Path lake;

    /** The JVM runs in a zone with a half-hour offset and daylight saving: no value may depend on it. */
    private static final TimeZone JVM_ZONE = TimeZone.getDefault();

    @BeforeAll
    static void start() throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns"));
        pg = new TestingPostgres();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute(ALL_TYPES_DDL);
            s.execute(PostgresTestData.ALL_TYPES_ROWS);
            s.execute(PostgresTestData.ODD_DDL);
            s.execute(PostgresTestData.EVENTS_DDL);
        }
        server = new TestingServer(home);
        duck = new ParquetQuery();
        lake = home.resolve("lake");
        server.server().apply(PostgresTestData.document(pg, lake), "pg.yaml");
    }

    @AfterAll
    static void stop() {
        TimeZone.setDefault(JVM_ZONE);
        if (duck != null) {
            duck.close();
        }
        if (server != null) {
            server.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    static ConnectorConfig config(Map<String, Object> overrides) {
        Map<String, Object> raw = new HashMap<>(Map.of("host", "127.0.0.1", "port", portOf(pg.jdbcUrl()), "database", databaseOf(pg.jdbcUrl()),
                "username", "postgres", "schemas", "public, Odd Schema"));
        raw.putAll(overrides);
        return SOURCE.spec().validate(raw, "");
    }

    static int portOf(String url) {
        String rest = url.substring("jdbc:postgresql://127.0.0.1:".length());
        return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
    }

    static String databaseOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    @Order(1)
    void discoverFindsTablesViewsKeysAndCursorCandidates() {
        Catalog catalog = SOURCE.discover(config(Map.of()));
        Golden.assertMatches(Path.of("src/test/resources/golden/jdbc/postgres-catalog.txt"), JdbcTesting.catalogText(catalog));
        CatalogStream view = catalog.stream("public.recent_events").orElseThrow();
        assertThat(view.primaryKey()).isEmpty();
        assertThat(view.supportedSyncModes()).doesNotContain(SyncMode.INCREMENTAL_APPEND_DEDUPED);
        assertThat(catalog.stream("public.events").orElseThrow().defaultCursorField()).isEqualTo("updated_at");
        assertThat(catalog.streamNames()).contains("public.measurements", "public.event_counts")
                .as("partitions are read through their table").doesNotContain("public.measurements_2023");
        assertThat(SOURCE.check(config(Map.of())).succeeded()).isTrue();
    }

    @Test
    @Order(2)
    void everyTypeArrivesInParquetWithItsValue() throws Exception {
        JobRecord job = JdbcTesting.sync(server, "pg-types");
        assertThat(job.records()).isEqualTo(PostgresTestData.ALL_TYPES_COUNT);
        Path dir = lake.resolve("raw/pg/public.all_types");
        assertThat(duck.columnTypes(dir)).containsAllEntriesOf(PostgresTestData.PARQUET_TYPES);
        List<Map<String, Object>> rows = duck.rows("SELECT " + PostgresTestData.DUCK_SELECT + " FROM " + ParquetQuery.files(dir) + " ORDER BY id");
        Map<Integer, Map<String, String>> expected = PostgresTestData.expectedRows();
        assertThat(rows).hasSize(expected.size());
        for (Map<String, Object> row : rows) {
            int id = ((Number) row.get("id")).intValue();
            Map<String, String> want = expected.get(id);
            for (Map.Entry<String, String> e : want.entrySet()) {
                Object got = row.get(e.getKey());
                assertThat(got == null ? null : got.toString()).as("%s of row %d", e.getKey(), id).isEqualTo(e.getValue());
            }
        }
        Map<Integer, TreeSet<String>> nulled = new HashMap<>();
        for (Map<String, Object> row : duck.rows("SELECT id, _airbyte_meta AS meta FROM " + ParquetQuery.files(dir))) {
            TreeSet<String> fields = new TreeSet<>();
            for (JsonNode change : JSON.readTree((String) row.get("meta")).get("changes")) {
                assertThat(change.get("change").asText()).isEqualTo("NULLED");
                assertThat(change.get("reason").asText()).isEqualTo("SOURCE_SERIALIZATION_ERROR");
                fields.add(change.get("field").asText());
            }
            nulled.put(((Number) row.get("id")).intValue(), fields);
        }
        assertThat(nulled).isEqualTo(PostgresTestData.expectedNulled());
    }

    @Test
    @Order(3)
    void oddIdentifiersAreQuotedAndKept() {
        JobRecord job = JdbcTesting.sync(server, "pg-odd");
        assertThat(job.records()).isEqualTo(3);
        Path dir = lake.resolve("raw/pg/" + PostgresTestData.ODD_STREAM);
        assertThat(duck.columnTypes(dir).keySet()).contains("Id", "select", "größe", "with space", "quote\"d");
        assertThat(duck.rows("SELECT \"Id\" AS id, \"select\" AS s, \"größe\" AS g, \"with space\" AS w, \"quote\"\"d\" AS q FROM "
                + ParquetQuery.files(dir) + " ORDER BY \"Id\"")).containsExactly(
                Map.of("id", 1, "s", "a", "g", "ä", "w", "x y", "q", "\""),
                Map.of("id", 2, "s", "b", "g", "ö", "w", "", "q", "'"),
                Map.of("id", 3, "s", "c", "g", "ü", "w", " ", "q", "\\"));
        // incremental on a mixed-case cursor column of the odd table
        assertThat(JdbcTesting.sync(server, "pg-odd-incremental").records()).isEqualTo(3);
        assertThat(server.server().states().load("pg-odd-incremental", PostgresTestData.ODD_STREAM).orElseThrow().state())
                .isEqualTo(Map.of("cursor", "2024-01-03", "keys_at_cursor", List.of(List.of(3L))));
    }

    @Test
    @Order(4)
    void fullRefreshAndIncrementalAcrossSyncsWithCursorTies() throws Exception {
        Path incremental = lake.resolve("raw/pg-incr/public.events");
        assertThat(JdbcTesting.sync(server, "pg-events").records()).isEqualTo(5000);
        assertThat(JdbcTesting.sync(server, "pg-events-incremental").records()).isEqualTo(5000);
        assertThat(server.server().states().load("pg-events-incremental", "public.events").orElseThrow().state())
                .isEqualTo(Map.of("cursor", "2024-01-01 00:00:09", "keys_at_cursor",
                        LongStream.rangeClosed(4501, 5000).mapToObj(List::of).toList()));

        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            // more rows at the last cursor value (a tie with the saved state), and later ones; one old row is updated
            s.execute("INSERT INTO events SELECT i, timestamp '2024-01-01 00:00:09', 'tie ' || i FROM generate_series(5001, 5500) i");
            s.execute("INSERT INTO events SELECT i, timestamp '2024-01-01 00:00:10' + (i % 3) * interval '1 second', 'new ' || i "
                    + "FROM generate_series(5501, 6000) i");
            s.execute("UPDATE events SET updated_at = timestamp '2024-01-01 00:00:20', payload = 'changed' WHERE id = 7");
        }
        assertThat(JdbcTesting.sync(server, "pg-events-incremental").records()).isEqualTo(1001);
        assertThat(JdbcTesting.sync(server, "pg-events-incremental").records()).isZero();
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(incremental))).isEqualTo(6001);
        assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(incremental))).isEqualTo(6000);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(incremental) + " WHERE id = 7")).isEqualTo(2);

        JobRecord second = JdbcTesting.sync(server, "pg-events");
        assertThat(second.records()).isEqualTo(6000);
        // the current generation (the one before stays for the grace period)
        Path current = ParquetQuery.currentGeneration(lake, "pg", "public.events");
        assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(current))).isEqualTo(6000);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(current))).isEqualTo(6000);
    }

    @Test
    @Order(5)
    void aTableWithoutPrimaryKeyAViewAndAPartitionedTableSync() {
        assertThat(JdbcTesting.sync(server, "pg-nokey").records()).isEqualTo(6000 + 6000 + 2);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/pg/public.measurements")))).isEqualTo(2);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/pg/public.events_nokey")))).isEqualTo(6000);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/pg/public.recent_events")))).isEqualTo(6000);
    }

    @Test
    @Order(6)
    void aDroppedTableFailsTheSyncClearlyAndCommitsNothing() throws Exception {
        Map<String, Object> before = server.server().states().load("pg-events-incremental", "public.events").orElseThrow().state();
        TreeSet<String> files = JdbcTesting.parquetFiles(lake.resolve("raw/pg-incr/public.events"));
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE events CASCADE");
        }
        JobRecord job = server.server().syncNow("pg-events-incremental").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.errorType()).isEqualTo("CONFIG");
        // schema change detection finds it before the read (docs/schema-changes.md): a breaking change with the fix
        assertThat(job.errorMessage()).contains("STREAM_REMOVED", "the source no longer offers stream public.events",
                "remove the stream from connection pg-events-incremental").doesNotContain("\tat ");
        assertThat(job.streams()).singleElement().satisfies(stream -> assertThat(stream.schemaChanges())
                .extracting(dev.caravan.sync.SchemaChange::kind).containsExactly(dev.caravan.sync.SchemaChange.Kind.STREAM_REMOVED));
        assertThat(server.server().states().load("pg-events-incremental", "public.events").orElseThrow().state()).isEqualTo(before);
        assertThat(JdbcTesting.parquetFiles(lake.resolve("raw/pg-incr/public.events"))).isEqualTo(files);
    }

    @Test
    @Order(7)
    void checkNamesTheCauseOfEveryConnectionFailure() {
        CheckResult unknownRole = SOURCE.check(config(Map.of("username", "no_such_role", "password", "s3cret-Pa55")));
        assertThat(unknownRole.succeeded()).isFalse();
        assertThat(unknownRole.message()).contains("authentication failed for user 'no_such_role'").contains("no_such_role")
                .doesNotContain("s3cret-Pa55").doesNotContain("\tat ");
        CheckResult missingDatabase = SOURCE.check(config(Map.of("database", "no_such_database")));
        assertThat(missingDatabase.message()).contains("the database does not exist").contains("no_such_database");
        CheckResult refused = SOURCE.check(config(Map.of("port", 1)));
        assertThat(refused.message()).contains("127.0.0.1:1").contains("refused");
        CheckResult unknownHost = SOURCE.check(config(Map.of("host", "no-such-host.invalid", "connect_timeout_seconds", 2)));
        assertThat(unknownHost.message()).contains("no-such-host.invalid").contains("cannot be resolved");
        CheckResult missingSchema = SOURCE.check(config(Map.of("schemas", "public, nope")));
        assertThat(missingSchema.message()).contains("schema nope does not exist");
    }
}
