package dev.caravan.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.jobs.SyncCoordinator.RunningJob;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.HttpJson.Response;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reset or delete of a connection and a job start of it exclude each other: the check that no job runs and the reset
 * (or delete) are one step with job start. Both directions are made deterministic: the reset's action runs the job
 * starts, and a route step holds a job until the test has tried to reset and delete its connection.
 */
class ResetDeleteExclusionTest {

    private static TestingServer server(Path home) {
        TestingServer server = new TestingServer(home);
        server.server().apply("""
                sources: [{name: f, connector: faker, config: {count: 20}}]
                destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                connections:
                  - {name: c, source: f, destination: lake, streams: [{name: users, sync_mode: incremental_append, cursor_field: updated_at}]}
                """.formatted(home.resolve("lake")), "c.yaml");
        return server;
    }

    @Test
    void everyJobStartDuringAResetIsRefusedAndRecordsNothing(@TempDir Path home) throws Exception {
        try (TestingServer server = server(home)) {
            SyncCoordinator coordinator = server.server().coordinator();
            HttpJson api = new HttpJson(server.apiUrl());

            String done = coordinator.whileIdle("c", "being reset", job -> new IllegalStateException("no job runs, yet job " + job + " does"), () -> {
                assertThatThrownBy(() -> coordinator.start("c", "manual")).isInstanceOf(SyncRefusedException.class)
                        .hasMessage("Connection 'c' is being reset: no job was started; trigger it again when that is done");
                Response sync = api.post("/connections/sync", "{\"connection\":\"c\"}");
                assertThat(sync.status()).as(sync.text()).isEqualTo(409);
                assertThat(sync.json().get("message").asText()).contains("is being reset");
                Exchange fired = server.server().camelContext().createProducerTemplate().send("caravan-sync:c", exchange -> { });
                assertThat(fired.getException()).isNull();
                assertThat(fired.getMessage().getHeader("CaravanJobId")).as("the scheduled fire started no job").isNull();
                // a second reset, or a delete, waits its turn too
                assertThat(api.post("/connections/reset", "{\"connection\":\"c\"}").status()).isEqualTo(409);
                assertThat(api.delete("/connections/c").status()).isEqualTo(409);
                return "reset";
            });

            assertThat(done).isEqualTo("reset");
            assertThat(server.server().jobs("c", 10)).as("refused triggers are not recorded").isEmpty();
            assertThat(api.get("/connections/c").status()).isEqualTo(200);
            assertThat(server.server().syncNow("c").orElseThrow().status()).as("the reset is over").isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Test
    void aResetOrDeleteWhileAJobRunsIsRefusedWithTheJobAndChangesNothing(@TempDir Path home) throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestingServer server = server(home)) {
            server.server().camelContext().getRegistry().bind("hold", (Processor) exchange -> {
                reached.countDown();
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            });
            HttpJson api = new HttpJson(server.apiUrl());
            assertThat(server.server().syncNow("c").orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            Object committed = server.server().states().load("c", "users").orElseThrow().state();
            // The connection's route, with a step that holds each batch until released.
            Route generated = server.server().camelContext().getRoute("c.users");
            Files.writeString(server.routes().resolve("c.yaml"), """
                    - route:
                        id: c.users
                        group: c
                        from:
                          uri: caravan-source:c/users
                          parameters: {source: f, syncMode: full_refresh_append}
                          steps:
                            - process: {ref: hold}
                            - to: caravan-parquet:lake
                    """);
            server.awaitStartedRoute("c.users", generated);
            RunningJob job = server.server().coordinator().start("c", "manual").orElseThrow();
            assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();

            Response reset = api.post("/connections/reset", "{\"connection\":\"c\"}");
            assertThat(reset.status()).isEqualTo(409);
            assertThat(reset.json().get("message").asText()).isEqualTo("connection 'c' is running job " + job.id() + "; reset it when the job has ended");
            Response delete = api.delete("/connections/c");
            assertThat(delete.status()).isEqualTo(409);
            assertThat(delete.json().get("message").asText()).isEqualTo("connection 'c' is running job " + job.id() + "; cancel it first");
            assertThat(server.server().states().load("c", "users").orElseThrow().state()).isEqualTo(committed);
            assertThat(server.routes().resolve("c.yaml")).exists();

            release.countDown();
            JobRecord ended = job.completion().join();
            assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(server.server().jobs("c", 10)).extracting(JobRecord::status).containsExactly(JobStatus.SUCCEEDED, JobStatus.SUCCEEDED);
            assertThat(api.post("/connections/reset", "{\"connection\":\"c\"}").json().get("reset_streams")).hasSize(1);
            assertThat(api.delete("/connections/c").status()).isEqualTo(204);
            assertThat(server.server().coordinator().connections()).doesNotContain("c");
        }
    }
}
