package dev.caravan.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.server.ServerSettings;
import dev.caravan.state.AttemptRecord;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attempts, retries with backoff, the attempt limit, config errors that are not retried, cancel, and the overlap policy. */
class RetryAndOverlapTest {
    private static final int ROWS = 60_000;

    private static String setup(Path lake) {
        return """
                sources: [{name: f, connector: faker, config: {count: %d}}]
                destinations: [{name: lake, connector: local, config: {path: "%s", file_size_mb: 1}}]
                connections:
                  - {name: flaky, source: f, destination: lake, routes: hand_written}
                  - {name: broken, source: f, destination: lake, routes: hand_written}
                """.formatted(ROWS / 2, lake);
    }

    /** A hand-written route whose Camel filter step throws {@code exception} on batch 20 of the attempts it matches. */
    private static String faultyRoute(String connection, String attemptCondition, String exception) {
        return """
                - route:
                    id: %1$s.purchases
                    from:
                      uri: caravan-source:%1$s/purchases
                      parameters: {source: f, syncMode: incremental_append, cursorField: updated_at, primaryKey: id, batchSize: 1000}
                      steps:
                        - filter:
                            simple: "${header.CaravanBatchIndex} == 20 && %2$s"
                            steps:
                              - throwException: {exceptionType: %3$s, message: injected}
                        - to: {uri: caravan-parquet:lake, parameters: {namespace: %1$s}}
                """.formatted(connection, attemptCondition, exception);
    }

    @Test
    void transientFailuresAreRetriedFromTheLastCheckpointAndTheLimitIsEnforced(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        Map<String, String> settings = Map.of(ServerSettings.SYNC_MAX_ATTEMPTS, "3", ServerSettings.SYNC_RETRY_BACKOFF_MS, "300");
        try (TestingServer server = new TestingServer(home, settings); ParquetQuery duck = new ParquetQuery()) {
            server.server().apply(setup(lake), "setup.yaml");
            Files.writeString(server.routes().resolve("flaky.yaml"), faultyRoute("flaky", "${header.CaravanAttempt} == 1", "java.net.SocketTimeoutException"));
            Files.writeString(server.routes().resolve("broken.yaml"), faultyRoute("broken", "true", "java.net.ConnectException"));
            server.awaitStartedRoute("flaky.purchases", null);
            server.awaitStartedRoute("broken.purchases", null);

            JobRecord flaky = server.server().syncNow("flaky").orElseThrow();
            assertThat(flaky.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(flaky.attempts()).extracting(AttemptRecord::status).containsExactly(JobStatus.FAILED, JobStatus.SUCCEEDED);
            AttemptRecord first = flaky.attempts().get(0);
            assertThat(first.errorType()).isEqualTo("TRANSIENT");
            assertThat(first.errorMessage()).contains("injected");
            assertThat(Duration.between(first.endedAt(), flaky.attempts().get(1).startedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(flaky.streams()).extracting(s -> s.attempt()).containsExactly(1, 2);
            assertThat(flaky.streams().get(1).startState()).as("attempt 2 resumes where attempt 1 committed").isEqualTo(flaky.streams().get(0).endState());
            assertThat(flaky.records()).isEqualTo(ROWS);
            Path output = lake.resolve("raw/flaky/purchases");
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);

            JobRecord broken = server.server().syncNow("broken").orElseThrow();
            assertThat(broken.status()).isEqualTo(JobStatus.FAILED);
            assertThat(broken.attempts()).hasSize(3).allSatisfy(a -> assertThat(a.errorType()).isEqualTo("TRANSIENT"));
            assertThat(broken.errorMessage()).contains("injected").contains("gave up after 3 attempts");
            assertThat(Duration.between(broken.attempts().get(1).endedAt(), broken.attempts().get(2).startedAt()))
                    .as("backoff doubles").isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void configErrorsAreNotRetried(@TempDir Path home) throws Exception {
        Path notADirectory = Files.writeString(home.resolve("occupied"), "a file where the lake should be");
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.SYNC_MAX_ATTEMPTS, "3", ServerSettings.SYNC_RETRY_BACKOFF_MS, "100"))) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 10}}]
                    destinations: [{name: bad, connector: local, config: {path: "%s/sub"}}]
                    connections: [{name: c, source: f, destination: bad, streams: [{name: users}]}]
                    """.formatted(notADirectory), "c.yaml");
            JobRecord job = server.server().syncNow("c").orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.errorType()).isEqualTo("CONFIG");
            assertThat(job.attempts()).hasSize(1);
            assertThat(job.errorMessage()).contains(notADirectory.toString());
        }
    }

    @Test
    void triggersDuringARunAreQueuedOnceThenSkippedAndCancelStopsAJob(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.SYNC_ON_OVERLAP, "queue"))) {
            server.server().apply("""
                    sources: [{name: big, connector: faker, config: {count: 600000}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s", file_size_mb: 4}}]
                    connections: [{name: slow, source: big, destination: lake, streams: [{name: purchases, sync_mode: incremental_append, cursor_field: updated_at}]}]
                    """.formatted(lake), "slow.yaml");
            HttpJson api = new HttpJson(server.apiUrl());
            long running = api.post("/connections/sync", "{\"connection\":\"slow\"}").json().get("id").asLong();
            HttpJson.Response queued = api.post("/connections/sync", "{\"connection\":\"slow\"}");
            assertThat(queued.status()).isEqualTo(202);
            assertThat(queued.json().get("status").asText()).isEqualTo("queued");
            assertThat(api.post("/connections/sync", "{\"connection\":\"slow\"}").status()).as("one waits at most").isEqualTo(409);

            assertThat(api.post("/jobs/" + running + "/cancel", "").status()).isEqualTo(202);
            long deadline = System.currentTimeMillis() + 60_000;
            List<JobRecord> jobs;
            do {
                Thread.sleep(100);
                jobs = server.server().jobs("slow", 10);
            } while (jobs.stream().anyMatch(j -> j.endedAt() == null) && System.currentTimeMillis() < deadline);
            // Newest first: the skipped trigger, the queued job (ran after the cancel), the cancelled job.
            assertThat(jobs).extracting(JobRecord::status).containsExactly(JobStatus.SKIPPED, JobStatus.SUCCEEDED, JobStatus.CANCELLED);
            JobRecord cancelled = jobs.get(2);
            JobRecord queuedJob = jobs.get(1);
            assertThat(cancelled.id()).isEqualTo(running);
            assertThat(jobs.get(0).errorMessage()).contains("already queued");
            assertThat(queuedJob.startedAt()).isAfterOrEqualTo(cancelled.endedAt());
            assertThat(cancelled.records() + queuedJob.records()).as("the cancelled job's committed rows are not read again").isEqualTo(1_200_000);
            try (ParquetQuery duck = new ParquetQuery()) {
                assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(lake.resolve("raw/purchases")))).isEqualTo(1_200_000);
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/purchases")))).isEqualTo(1_200_000);
            }
        }
    }
}
