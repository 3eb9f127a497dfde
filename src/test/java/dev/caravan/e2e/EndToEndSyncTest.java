package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.source.faker.FakerSource;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole slice: a server is started, a configs-as-code document applied, and each sync mode run twice from the
 * faker source into a local lake; the Parquet files are read back with DuckDB and compared row by row with what the
 * source produces.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndSyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    private static TestingServer server;
    private static ParquetQuery duck;
    private static Path lake;

    @BeforeAll
    static void start() {
        server = new TestingServer(home);
        duck = new ParquetQuery();
        lake = home.resolve("lake");
    }

    @AfterAll
    static void stop() {
        if (duck != null) {
            duck.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static String document(int count) {
        return """
                sources:
                  - name: faker-demo
                    connector: faker
                    config: {seed: 7, count: %d}
                destinations:
                  - name: lake
                    connector: local
                    config: {path: "%s", file_size_mb: 1}
                connections:
                  - name: users-overwrite
                    source: faker-demo
                    destination: lake
                    namespace: demo
                    streams:
                      - {name: users, sync_mode: full_refresh_overwrite}
                  - name: products-append
                    source: faker-demo
                    destination: lake
                    namespace: demo
                    prefix: append_
                    streams:
                      - {name: products, sync_mode: full_refresh_append}
                  - name: users-incremental
                    source: faker-demo
                    destination: lake
                    namespace: incr
                    streams:
                      - name: users
                        sync_mode: incremental_append
                        cursor_field: updated_at
                        primary_key: [id]
                        fields: [id, name, balance, is_active, birthday, updated_at, address]
                """.formatted(count, lake);
    }

    private static JobRecord sync(String connection) {
        JobRecord job = server.server().syncNow(connection).orElseThrow();
        assertThat(job.status()).as("job %s: %s", job.id(), job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    @Test
    @Order(1)
    void firstSyncOfEveryModeWritesExactlyTheSourceRows() throws Exception {
        server.server().apply(document(1000), "e2e.yaml");
        assertThat(server.routes().resolve("users-incremental.yaml")).exists();

        JobRecord overwrite = sync("users-overwrite");
        JobRecord append = sync("products-append");
        JobRecord incremental = sync("users-incremental");
        assertThat(overwrite.records()).isEqualTo(1000);
        assertThat(append.records()).isEqualTo(100);
        assertThat(incremental.records()).isEqualTo(1000);
        assertThat(overwrite.bytes()).isPositive();

        Path users = lake.resolve("raw/demo/users");
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(users))).isEqualTo(1000);
        assertSameRows(users, "users", List.of(), 1, 1000);
        assertMetadata(users, overwrite, 1);

        Path products = lake.resolve("raw/demo/append_products");
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(products))).isEqualTo(100);
        assertSameRows(products, "products", List.of(), 1, 100);
        assertMetadata(products, append, 0);

        Path incrementalUsers = lake.resolve("raw/incr/users");
        assertSameRows(incrementalUsers, "users", List.of("id", "name", "balance", "is_active", "birthday", "updated_at", "address"), 1, 1000);
        assertThat(duck.columnTypes(incrementalUsers).keySet()).containsExactly("_airbyte_raw_id", "_airbyte_extracted_at", "_airbyte_meta",
                "_airbyte_generation_id", "id", "name", "is_active", "balance", "birthday", "updated_at", "address");
        assertThat(server.server().states().load("users-incremental", "users").orElseThrow().state())
                .containsEntry("id", 1000L).containsEntry("cursor", "2024-01-01T00:16:40Z");
    }

    @Test
    @Order(2)
    void columnsHaveParquetLogicalTypes() {
        Map<String, String> types = duck.columnTypes(lake.resolve("raw/demo/users"));
        assertThat(types).containsEntry("_airbyte_raw_id", "VARCHAR")
                .containsEntry("_airbyte_extracted_at", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("_airbyte_meta", "JSON")
                .containsEntry("_airbyte_generation_id", "BIGINT")
                .containsEntry("id", "BIGINT")
                .containsEntry("age", "INTEGER")
                .containsEntry("is_active", "BOOLEAN")
                .containsEntry("balance", "DECIMAL(12,2)")
                .containsEntry("birthday", "DATE")
                .containsEntry("created_at", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("updated_at", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("address", "JSON");
    }

    @Test
    @Order(3)
    void secondSyncsFollowEachModesSemantics() throws Exception {
        server.server().apply(document(1500), "e2e.yaml");

        JobRecord overwrite = sync("users-overwrite");
        // current.json names the new generation; the replaced one stays beside it for the grace period
        long generation = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                lake.resolve("_airbyte_internal/state/demo/users/current.json").toFile()).get("generation").asLong();
        assertThat(generation).isEqualTo(2);
        Path users = lake.resolve("raw/demo/users/generation=" + generation);
        assertThat(overwrite.records()).isEqualTo(1500);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(users))).as("the current generation alone").isEqualTo(1500);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/demo/users/generation=1"))))
                .as("the replaced generation, kept for the grace period").isEqualTo(1000);
        assertThat(duck.rows("SELECT DISTINCT _airbyte_generation_id AS g FROM " + ParquetQuery.files(users)))
                .extracting(r -> ((Number) r.get("g")).longValue()).containsExactly(2L);
        assertSameRows(users, "users", List.of(), 1, 1500);

        JobRecord append = sync("products-append");
        Path products = lake.resolve("raw/demo/append_products");
        assertThat(append.records()).isEqualTo(150);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(products))).isEqualTo(250);
        assertThat(duck.count("SELECT count(DISTINCT _airbyte_meta) FROM " + ParquetQuery.files(products))).as("two syncs").isEqualTo(2);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(products) + " WHERE id <= 100")).isEqualTo(200);

        JobRecord incremental = sync("users-incremental");
        Path incrementalUsers = lake.resolve("raw/incr/users");
        assertThat(incremental.records()).as("only the new rows").isEqualTo(500);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(incrementalUsers))).isEqualTo(1500);
        assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(incrementalUsers))).isEqualTo(1500);
        assertThat(duck.count("SELECT min(id) FROM " + ParquetQuery.files(incrementalUsers)
                + " WHERE _airbyte_meta LIKE '%\"sync_id\":" + incremental.id() + "%'")).isEqualTo(1001);
        assertSameRows(incrementalUsers, "users", List.of("id", "name", "balance", "is_active", "birthday", "updated_at", "address"), 1, 1500);
    }

    @Test
    @Order(4)
    void anIncrementalSyncWithNothingNewAddsNothing() throws Exception {
        Path incrementalUsers = lake.resolve("raw/incr/users");
        long filesBefore = parquetFiles(incrementalUsers);
        JobRecord job = sync("users-incremental");
        assertThat(job.records()).isZero();
        assertThat(parquetFiles(incrementalUsers)).isEqualTo(filesBefore);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(incrementalUsers))).isEqualTo(1500);
        assertThat(server.server().jobs("users-incremental", 10)).extracting(JobRecord::records).containsExactly(0L, 500L, 1000L);
    }

    private static long parquetFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).count();
        }
    }

    /** Compares every selected value of rows [from, to] in the files with what the faker source produces. */
    private static void assertSameRows(Path dir, String stream, List<String> fields, long from, long to) {
        List<Object[]> expected = sourceRows(stream, fields, 1500);
        Schema schema = sourceSchema(stream, fields);
        List<Map<String, Object>> actual = duck.rows("SELECT * EXCLUDE (_airbyte_raw_id, _airbyte_extracted_at, _airbyte_meta, _airbyte_generation_id) "
                + "FROM " + ParquetQuery.files(dir) + " QUALIFY row_number() OVER (PARTITION BY id ORDER BY _airbyte_extracted_at DESC) = 1 ORDER BY id");
        assertThat(actual).hasSize((int) (to - from + 1));
        for (Map<String, Object> row : actual) {
            long id = ((Number) row.get("id")).longValue();
            Object[] source = expected.get((int) id - 1);
            for (int i = 0; i < schema.size(); i++) {
                String name = schema.field(i).name();
                assertThat(normalize(row.get(name))).as("%s.%s of id %d", stream, name, id).isEqualTo(normalize(source[i]));
            }
        }
    }

    private static Object normalize(Object value) {
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant().truncatedTo(ChronoUnit.MICROS);
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant.truncatedTo(ChronoUnit.MICROS);
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        return value;
    }

    private static Schema sourceSchema(String stream, List<String> fields) {
        try (StreamReader reader = new FakerSource().read(fakerConfig(1500), new ReadRequest(stream, fields, SyncMode.FULL_REFRESH_APPEND,
                null, List.of(), Map.of(), 10))) {
            return reader.schema();
        }
    }

    private static List<Object[]> sourceRows(String stream, List<String> fields, long count) {
        List<Object[]> rows = new ArrayList<>();
        try (StreamReader reader = new FakerSource().read(fakerConfig(count), new ReadRequest(stream, fields, SyncMode.FULL_REFRESH_APPEND,
                null, List.of(), Map.of(), 5000))) {
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                rows.addAll(batch.rows());
            }
        }
        return rows;
    }

    private static ConnectorConfig fakerConfig(long count) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("seed", 7);
        raw.put("count", (int) count);
        return new FakerSource().spec().validate(raw, "");
    }

    private static void assertMetadata(Path dir, JobRecord job, long generation) throws Exception {
        List<Map<String, Object>> rows = duck.rows("SELECT _airbyte_raw_id AS raw_id, epoch_ms(_airbyte_extracted_at) AS extracted, "
                + "_airbyte_meta AS meta, _airbyte_generation_id AS generation FROM " + ParquetQuery.files(dir));
        assertThat(rows.stream().map(r -> r.get("raw_id")).distinct().count()).as("unique raw ids").isEqualTo(rows.size());
        for (Map<String, Object> row : rows) {
            assertThat((String) row.get("raw_id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(((Number) row.get("extracted")).longValue()).isEqualTo(job.startedAt().toEpochMilli());
            JsonNode meta = JSON.readTree((String) row.get("meta"));
            assertThat(meta.get("sync_id").asLong()).isEqualTo(job.id());
            assertThat(meta.get("changes").isArray()).isTrue();
            assertThat(meta.get("changes")).isEmpty();
            assertThat(((Number) row.get("generation")).longValue()).isEqualTo(generation);
        }
    }
}
