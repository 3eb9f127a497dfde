package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.ErrorType;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.spi.FullRefreshState;
import dev.caravan.sync.StreamState;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingS3;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 server goes away in the middle of a sync (a route step stops S3Proxy after N batches): the sync fails with a
 * message naming the cause, no partial object is visible, the committed state and the previous output are intact, and
 * once the server is back (same port, same data) the next sync completes with every row exactly once.
 */
class S3FaultTest {
    private static final String BUCKET = "lake";
    private static final int FAULT_AT_BATCH = 40;

    @TempDir
    Path home;
    private final AtomicInteger downloads = new AtomicInteger();

    @AfterEach
    void clearHook() {
        S3Hooks.clear();
    }

    @Test
    void anIncrementalSyncInterruptedByAnS3OutageResumesWithEveryRowOnce() throws Exception {
        int rows = 100_000;
        try (TestingS3 s3 = new TestingS3(); TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            setUp(s3, testing, rows / 2, "fault", "incremental_append", "cursorField: updated_at, primaryKey: id");
            S3Hooks.set(index -> {
                if (index == FAULT_AT_BATCH) {
                    s3.stop();
                }
            });

            JobRecord failed = testing.server().syncNow("fault").orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.errorType()).isEqualTo(ErrorType.TRANSIENT.name());
            assertThat(failed.errorMessage()).contains("unreachable").contains(s3.endpoint().toString()).contains("Fix:")
                    .doesNotContain(s3.secretKey());
            StreamState committed = testing.server().states().load("fault", "purchases").orElseThrow();
            long committedId = (Long) committed.state().get("id");
            assertThat(committedId).as("files rolled and committed before the outage").isPositive().isLessThanOrEqualTo(FAULT_AT_BATCH * 1000L);

            s3.restart();
            Path visible = download(s3, "raw/fault/purchases/");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(visible))).as("visible rows are exactly the committed ones")
                    .isEqualTo(committedId);
            assertThat(duck.rows("SELECT max(id) AS hi FROM " + ParquetQuery.files(visible)).get(0)).isEqualTo(Map.of("hi", committedId));

            S3Hooks.clear();
            JobRecord resumed = testing.server().syncNow("fault").orElseThrow();
            assertThat(resumed.status()).as(resumed.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(resumed.records()).isEqualTo(rows - committedId);
            assertThat(resumed.streams().get(0).startState()).isEqualTo(committed.state());

            Path output = download(s3, "raw/fault/purchases/");
            assertThat(duck.rows("SELECT count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi FROM " + ParquetQuery.files(output)).get(0))
                    .isEqualTo(Map.of("n", (long) rows, "ids", (long) rows, "lo", 1L, "hi", (long) rows));
            assertThat(s3.unfinishedUploads(BUCKET)).as("the upload the outage left was aborted by the next sync").isEmpty();
        }
    }

    @Test
    void anOverwriteInterruptedByAnS3OutageKeepsThePreviousGenerationWhole() throws Exception {
        int rows = 60_000;
        try (TestingS3 s3 = new TestingS3(); TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            setUp(s3, testing, rows / 2, "fault", "full_refresh_overwrite", "primaryKey: id");
            assertThat(testing.server().syncNow("fault").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            List<String> firstGeneration = s3.keys(BUCKET, "raw/");
            assertThat(firstGeneration).hasSizeGreaterThan(1);
            StreamState before = testing.server().states().load("fault", "purchases").orElseThrow();

            S3Hooks.set(index -> {
                if (index == FAULT_AT_BATCH) {
                    s3.stop();
                }
            });
            JobRecord failed = testing.server().syncNow("fault").orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.errorMessage()).contains("unreachable");
            // a keyed overwrite publishes into its generation's directory as it goes and commits keyset checkpoints there
            StreamState during = testing.server().states().load("fault", "purchases").orElseThrow();
            assertThat(during.generationId()).as("%s", during).isEqualTo(before.generationId() + 1);
            long committedId = ((Number) FullRefreshState.resumeAfter(during.state()).get("id")).longValue();
            assertThat(committedId).as("%s", during).isPositive().isLessThan(rows);

            s3.restart();
            assertThat(s3.keys(BUCKET, "raw/").stream().filter(k -> !k.contains("/generation=2/")).toList())
                    .as("the previous generation is untouched").isEqualTo(firstGeneration);
            assertThat(currentGeneration(s3)).as("current.json still names the previous generation").isEqualTo(1);
            Path visible = download(s3, "raw/fault/purchases/generation=1/");
            assertThat(duck.rows("SELECT count(*) AS n, min(_airbyte_generation_id) AS lo, max(_airbyte_generation_id) AS hi FROM "
                    + ParquetQuery.files(visible)).get(0)).isEqualTo(Map.of("n", (long) rows, "lo", 1L, "hi", 1L));
            assertThat(s3.unfinishedUploads(BUCKET)).as("uploads the outage left unfinished (their abort failed)").isNotEmpty();

            S3Hooks.clear();
            JobRecord next = testing.server().syncNow("fault").orElseThrow();
            assertThat(next.status()).as(next.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(next.records()).as("the next sync continues the generation after its checkpoint").isEqualTo(rows - committedId);
            assertThat(currentGeneration(s3)).isEqualTo(2);
            Path output = download(s3, "raw/fault/purchases/generation=2/");
            assertThat(duck.rows("SELECT count(*) AS n, count(DISTINCT id) AS ids, min(_airbyte_generation_id) AS lo, max(_airbyte_generation_id) AS hi FROM "
                    + ParquetQuery.files(output)).get(0)).isEqualTo(Map.of("n", (long) rows, "ids", (long) rows, "lo", 2L, "hi", 2L));
            assertThat(s3.unfinishedUploads(BUCKET)).isEmpty();
        }
    }

    private void setUp(TestingS3 s3, TestingServer testing, int users, String connection, String mode, String parameters) throws Exception {
        s3.createBucket(BUCKET);
        testing.server().apply("""
                sources:
                  - {name: faker-big, connector: faker, config: {count: %d}}
                destinations:
                  - {name: lake, connector: s3, config: %s}
                connections:
                  - {name: %s, source: faker-big, destination: lake, routes: hand_written}
                """.formatted(users, s3.destinationConfig(BUCKET, "file_size_mb: 1"), connection), "setup.yaml");
        Files.writeString(testing.routes().resolve(connection + ".yaml"), """
                - route:
                    id: %1$s.purchases
                    group: %1$s
                    from:
                      uri: caravan-source:%1$s/purchases
                      parameters: {source: faker-big, syncMode: %2$s, batchSize: 1000, %3$s}
                      steps:
                        - bean: {beanType: dev.caravan.e2e.S3Hooks, method: batch}
                        - to: {uri: caravan-parquet:lake, parameters: {namespace: fault}}
                """.formatted(connection, mode, parameters));
        testing.awaitStartedRoute(connection + ".purchases", null);
    }

    private static long currentGeneration(TestingS3 s3) throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s3.read(BUCKET, "_airbyte_internal/state/fault/purchases/current.json"))
                .get("generation").asLong();
    }

    private Path download(TestingS3 s3, String prefix) {
        return s3.download(BUCKET, prefix, home.resolve("download-" + downloads.incrementAndGet())).resolve(prefix);
    }
}
