package dev.caravan.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.jmx.ConnectionMBeans;
import dev.caravan.server.ServerSettings;
import dev.caravan.state.AttemptRecord;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.jobs.SyncCoordinator.RunningJob;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.management.RuntimeMBeanException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopping while a job runs. The stop begins (as in {@code CaravanServer#close}) by closing the sync coordinator,
 * which waits for the running job; a route step holds the job's first batch until then, so the stop finds it mid-stream.
 */
class ServerStopTest {

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what);
            }
        }
    }

    /**
     * A server that queues overlapping triggers, with a connection of one stream in batches of 100 rows whose route runs
     * {@code holdUntilStopping} on every batch.
     */
    private static TestingServer gatedServer(Path home, CountDownLatch reached) throws Exception {
        TestingServer server = new TestingServer(home, Map.of(ServerSettings.SYNC_MAX_ATTEMPTS, "1", ServerSettings.SYNC_ON_OVERLAP, "queue"));
        SyncCoordinator coordinator = server.server().coordinator();
        server.server().camelContext().getRegistry().bind("holdUntilStopping", (Processor) exchange -> {
            reached.countDown();
            await("the server is stopping", coordinator::stopping);
        });
        server.server().apply("""
                sources: [{name: f, connector: faker, config: {count: 1000}}]
                destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                connections: [{name: gated, source: f, destination: lake, routes: hand_written}]
                """.formatted(home.resolve("lake")), "setup.yaml");
        Files.writeString(server.routes().resolve("gated.yaml"), """
                - route:
                    id: gated.users
                    from:
                      uri: caravan-source:gated/users
                      parameters: {source: f, syncMode: incremental_append, cursorField: updated_at, primaryKey: id, batchSize: 100}
                      steps:
                        - process: {ref: holdUntilStopping}
                        - to: caravan-parquet:lake
                """);
        await("gated.users is loaded", () -> coordinator.connections().contains("gated"));
        return server;
    }

    @Test
    void runningAndQueuedJobsEndInterruptedNotCancelled(@TempDir Path home) throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        long runningId;
        long queuedId;
        try (TestingServer server = gatedServer(home, reached)) {
            SyncCoordinator coordinator = server.server().coordinator();
            RunningJob running = coordinator.start("gated", "manual").orElseThrow();
            assertThat(reached.await(60, TimeUnit.SECONDS)).as("the job reached its first batch").isTrue();
            RunningJob queued = coordinator.start("gated", "manual").orElseThrow();
            assertThat(server.server().jobs("gated", 10)).extracting(JobRecord::status).containsExactly(JobStatus.QUEUED, JobStatus.RUNNING);

            coordinator.close();

            JobRecord interrupted = running.completion().join();
            assertThat(interrupted.status()).isEqualTo(JobStatus.INTERRUPTED);
            assertThat(interrupted.errorType()).isEqualTo("TRANSIENT");
            assertThat(interrupted.errorMessage()).contains("the server stopped while this job was running")
                    .contains("resume from their last committed state");
            assertThat(interrupted.attempts()).extracting(AttemptRecord::status).containsExactly(JobStatus.INTERRUPTED);
            assertThat(interrupted.streams()).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(JobStatus.INTERRUPTED);
                assertThat(s.errorMessage()).contains("the server is stopping");
            });
            JobRecord neverRan = queued.completion().join();
            assertThat(neverRan.status()).isEqualTo(JobStatus.INTERRUPTED);
            assertThat(neverRan.errorMessage()).contains("before this queued job ran");
            assertThat(neverRan.attempts()).isEmpty();
            runningId = running.id();
            queuedId = queued.id();
            Files.delete(server.routes().resolve("gated.yaml"));
        }
        // Recorded by the stop itself: the next start finds nothing left running to mark.
        try (TestingServer restarted = new TestingServer(home)) {
            assertThat(restarted.server().jobs("gated", 10)).extracting(JobRecord::id, JobRecord::status, JobRecord::errorMessage)
                    .containsExactly(
                            Tuple.tuple(queuedId, JobStatus.INTERRUPTED, "the server stopped before this queued job ran"),
                            Tuple.tuple(runningId, JobStatus.INTERRUPTED, "the server stopped while this job was running; "
                                    + "its streams resume from their last committed state at the next sync"));
        }
    }

    @Test
    void triggersArrivingWhileTheServerStopsStartNothingAndRecordNothing(@TempDir Path home) throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        try (TestingServer server = gatedServer(home, reached)) {
            SyncCoordinator coordinator = server.server().coordinator();
            RunningJob job = coordinator.start("gated", "manual").orElseThrow();
            assertThat(reached.await(60, TimeUnit.SECONDS)).as("the job reached its first batch").isTrue();

            coordinator.close();

            assertThat(job.completion()).isDone();
            assertThat(coordinator.running("gated")).isEmpty();
            assertThatThrownBy(() -> coordinator.start("gated", "manual")).isInstanceOf(SyncRefusedException.class)
                    .hasMessageContaining("The server is stopping");
            assertThatThrownBy(() -> coordinator.replay(job.id())).isInstanceOf(SyncRefusedException.class);
            // A scheduled fire: the schedule route's step starts nothing and does not fail the exchange.
            Exchange fired = server.server().camelContext().createProducerTemplate().send("caravan-sync:gated", exchange -> { });
            assertThat(fired.getException()).isNull();
            assertThat(fired.getMessage().getHeader("CaravanJobId")).isNull();
            // The API answers 503 (try again later); JMX a plain IllegalStateException.
            HttpJson.Response api = new HttpJson(server.apiUrl()).post("/connections/sync", "{\"connection\":\"gated\"}");
            assertThat(api.status()).isEqualTo(503);
            assertThat(api.json().get("message").asText()).contains("The server is stopping");
            assertThatThrownBy(() -> ManagementFactory.getPlatformMBeanServer().invoke(ConnectionMBeans.name("gated"), "syncNow",
                    new Object[0], new String[0])).isInstanceOf(RuntimeMBeanException.class)
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopping"));

            assertThat(server.server().jobs("gated", 10)).as("only the job that was running, ended").singleElement()
                    .satisfies(j -> {
                        assertThat(j.id()).isEqualTo(job.id());
                        assertThat(j.endedAt()).isNotNull();
                        assertThat(j.status()).isEqualTo(JobStatus.INTERRUPTED);
                    });
        }
    }
}
