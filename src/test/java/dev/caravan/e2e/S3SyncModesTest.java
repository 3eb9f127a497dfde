package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.FakerRows;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingS3;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four sync modes on S3, end to end: a server with an S3 destination (S3Proxy) applied as YAML, each mode synced
 * two or three times, the objects downloaded and read back with DuckDB. The deduplicated mode reads a change feed with
 * updates and deletes ({@link UserChanges}); one overwrite route reads the bucket in the middle of its sync
 * ({@link S3Hooks}) to check that only the previous generation, whole, is visible while the new one is written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3SyncModesTest {
    private static final String BUCKET = "lake";
    private static final String ROOT = "warehouse/";
    private static final List<String> INCREMENTAL_FIELDS = List.of("id", "name", "balance", "is_active", "birthday", "updated_at", "address");
    private static final FakerRows FAKER = new FakerRows(7);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    private static TestingS3 s3;
    private static TestingServer server;
    private static ParquetQuery duck;
    private static final AtomicInteger downloads = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        s3 = new TestingS3();
        s3.createBucket(BUCKET);
        server = new TestingServer(home);
        duck = new ParquetQuery();
        server.server().apply(document(1000), "s3.yaml");
        Files.writeString(server.routes().resolve("changes.yaml"), route("changes", "users", "incremental_append_deduped",
                "cursorField: updated_at, primaryKey: id, fields: \"id,name,updated_at\"", "dev.caravan.e2e.UserChanges", "apply", "cdc"));
        Files.writeString(server.routes().resolve("probed.yaml"), route("probed", "users", "full_refresh_overwrite", "fields: \"id,name\"",
                "dev.caravan.e2e.S3Hooks", "batch", "probed"));
        server.awaitStartedRoute("changes.users", null);
        server.awaitStartedRoute("probed.users", null);
    }

    @AfterAll
    static void stop() {
        S3Hooks.clear();
        if (duck != null) {
            duck.close();
        }
        if (server != null) {
            server.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static String document(int count) {
        return """
                sources:
                  - {name: faker-demo, connector: faker, config: {seed: 7, count: %d}}
                destinations:
                  - name: lake
                    connector: s3
                    config: %s
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
                  - {name: changes, source: faker-demo, destination: lake, routes: hand_written}
                  - {name: probed, source: faker-demo, destination: lake, routes: hand_written}
                """.formatted(count, s3.destinationConfig(BUCKET, "bucket_prefix: warehouse, file_size_mb: 1"));
    }

    private static String route(String connection, String stream, String mode, String parameters, String beanType, String method, String namespace) {
        return """
                - route:
                    id: %1$s.%2$s
                    group: %1$s
                    from:
                      uri: caravan-source:%1$s/%2$s
                      parameters: {source: faker-demo, syncMode: %3$s, batchSize: 100, %4$s}
                      steps:
                        - bean: {beanType: %5$s, method: %6$s}
                        - to: {uri: caravan-parquet:lake, parameters: {namespace: %7$s}}
                """.formatted(connection, stream, mode, parameters, beanType, method, namespace);
    }

    @Test
    @Order(1)
    void firstSyncOfEveryModeWritesExactlyTheSourceRows() {
        assertThat(sync("users-overwrite").records()).isEqualTo(1000);
        assertThat(sync("products-append").records()).isEqualTo(100);
        assertThat(sync("users-incremental").records()).isEqualTo(1000);
        assertThat(sync("changes").records()).isEqualTo(1000);
        assertThat(sync("probed").records()).isEqualTo(1000);

        Path users = download("raw/demo/users/");
        FAKER.assertSameRows(rows(users, "id"), "users", List.of(), 1000);
        assertThat(generations(users)).containsExactly(1L);
        FAKER.assertSameRows(rows(download("raw/demo/append_products/"), "id"), "products", List.of(), 1000);
        FAKER.assertSameRows(rows(download("raw/incr/users/"), "id"), "users", INCREMENTAL_FIELDS, 1000);
        assertThat(server.server().states().load("users-incremental", "users").orElseThrow().state()).containsEntry("id", 1000L);
        assertSnapshot(1000);
        assertThat(s3.unfinishedUploads(BUCKET)).isEmpty();
        assertThat(s3.keys(BUCKET, "")).allMatch(key -> key.startsWith(ROOT + "raw/") || key.startsWith(ROOT + "snapshot/")
                || key.startsWith(ROOT + "_airbyte_internal/state/"));
    }

    @Test
    @Order(2)
    void secondSyncsFollowEachModesSemantics() throws Exception {
        server.server().apply(document(1500), "s3.yaml");
        server.awaitStartedRoute("changes.users", null);

        List<String> firstGeneration = s3.keys(BUCKET, ROOT + "raw/probed/users/");
        List<String> midSync = new ArrayList<>();
        S3Hooks.set(index -> {
            if (index == 7) {
                Path visible = download("raw/probed/users/");
                midSync.add(s3.keys(BUCKET, ROOT + "raw/probed/users/") + " rows=" + count(visible) + " generations=" + generations(visible));
            }
        });
        try {
            assertThat(sync("probed").records()).isEqualTo(1500);
        } finally {
            S3Hooks.clear();
        }
        assertThat(midSync).as("while the new generation is written, readers see the previous one, whole")
                .containsExactly(firstGeneration + " rows=1000 generations=[1]");
        assertThat(JSON.readTree(s3.read(BUCKET, ROOT + "_airbyte_internal/state/probed/users/current.json")).get("generation").asLong())
                .isEqualTo(2);
        Path probed = download("raw/probed/users/generation=2/");
        assertThat(count(probed)).isEqualTo(1500);
        assertThat(generations(probed)).containsExactly(2L);
        assertThat(s3.keys(BUCKET, ROOT + "raw/probed/users/")).as("the replaced generation stays for the grace period")
                .containsAll(firstGeneration);

        JobRecord overwrite = sync("users-overwrite");
        assertThat(overwrite.records()).isEqualTo(1500);
        Path users = download("raw/demo/users/generation=2/");
        FAKER.assertSameRows(rows(users, "id"), "users", List.of(), 1500);
        assertThat(generations(users)).containsExactly(2L);
        JsonNode manifest = JSON.readTree(s3.read(BUCKET, ROOT + "_airbyte_internal/state/demo/users/jobs/job-" + overwrite.id() + ".json"));
        List<String> listed = new ArrayList<>();
        manifest.get("generationFiles").forEach(f -> listed.add(ROOT + f.asText()));
        assertThat(s3.keys(BUCKET, ROOT + "raw/demo/users/generation=2/")).as("the job manifest names exactly the live generation").isEqualTo(listed);

        assertThat(sync("products-append").records()).isEqualTo(150);
        Path products = download("raw/demo/append_products/");
        assertThat(count(products)).isEqualTo(250);
        assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(products) + " WHERE id <= 100")).isEqualTo(200);
        FAKER.assertSameRows(duck.rows("SELECT * FROM " + ParquetQuery.files(products)
                + " QUALIFY row_number() OVER (PARTITION BY id ORDER BY _airbyte_extracted_at DESC) = 1 ORDER BY id"), "products", List.of(), 1500);

        assertThat(sync("users-incremental").records()).as("only the new rows").isEqualTo(500);
        Path incremental = download("raw/incr/users/");
        assertThat(count(incremental)).isEqualTo(1500);
        FAKER.assertSameRows(rows(incremental, "id"), "users", INCREMENTAL_FIELDS, 1500);

        assertThat(sync("changes").records()).isEqualTo(500);
        assertSnapshot(1500);
        assertThat(s3.unfinishedUploads(BUCKET)).isEmpty();
    }

    @Test
    @Order(3)
    void syncsWithNothingNewLeaveIncrementalOutputAndTheSnapshotAsTheyAre() {
        List<String> before = s3.keys(BUCKET, ROOT + "snapshot/");
        assertThat(sync("changes").records()).isZero();
        assertThat(sync("users-incremental").records()).isZero();
        assertThat(s3.keys(BUCKET, ROOT + "snapshot/")).isEqualTo(before);
        assertSnapshot(1500);
        assertThat(count(download("raw/incr/users/"))).isEqualTo(1500);
    }

    /** The snapshot after source rows 1..count went through {@link UserChanges}: the last row per key, deleted keys absent. */
    private static void assertSnapshot(long count) {
        TreeMap<Long, Long> latest = new TreeMap<>();
        for (long id = 1; id <= count; id++) {
            latest.put(UserChanges.key(id), id);
        }
        latest.values().removeIf(UserChanges::deletes);
        Map<Long, String> names = new TreeMap<>();
        for (Object[] row : FAKER.rows("users", List.of("id", "name"), count)) {
            names.put((Long) row[0], (String) row[1]);
        }
        Path raw = download("raw/cdc/users/");
        assertThat(count(raw)).as("the raw history keeps every change").isEqualTo(count);

        Path snapshot = download("snapshot/cdc/users/");
        List<Map<String, Object>> rows = duck.rows("SELECT id, source_id, name, _caravan_deleted FROM " + ParquetQuery.files(snapshot) + " ORDER BY id");
        assertThat(rows).hasSize(latest.size());
        int i = 0;
        for (Map.Entry<Long, Long> entry : latest.entrySet()) {
            assertThat(rows.get(i++)).isEqualTo(Map.of("id", entry.getKey(), "source_id", entry.getValue(), "name", names.get(entry.getValue()),
                    "_caravan_deleted", false));
        }
        assertThat(duck.count("SELECT count(*) - count(DISTINCT id) FROM " + ParquetQuery.files(snapshot))).as("one row per key").isZero();
    }

    private static JobRecord sync(String connection) {
        JobRecord job = server.server().syncNow(connection).orElseThrow();
        assertThat(job.status()).as("job %s of %s: %s", job.id(), connection, job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    /** Downloads the objects under the lake key prefix into a new directory. */
    private static Path download(String prefix) {
        return s3.download(BUCKET, ROOT + prefix, home.resolve("download-" + downloads.incrementAndGet())).resolve(ROOT + prefix);
    }

    private static List<Map<String, Object>> rows(Path dir, String orderBy) {
        return duck.rows("SELECT * FROM " + ParquetQuery.files(dir) + " ORDER BY " + orderBy);
    }

    private static long count(Path dir) {
        return duck.count("SELECT count(*) FROM " + ParquetQuery.files(dir));
    }

    private static List<Long> generations(Path dir) {
        return duck.rows("SELECT DISTINCT _airbyte_generation_id AS g FROM " + ParquetQuery.files(dir) + " ORDER BY g").stream()
                .map(r -> ((Number) r.get("g")).longValue()).toList();
    }
}
