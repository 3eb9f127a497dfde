package dev.caravan.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quartz schedules fire, and never make two runs of one connection overlap. Each assertion counts only the jobs it is
 * about: a manual trigger refused while a scheduled run goes on is recorded too (SKIPPED, trigger "api"), and must never
 * be taken for a scheduled run.
 */
class ScheduleTest {
    /** A scheduled run that has ended (a skipped trigger did not run). */
    private static final Predicate<JobRecord> SCHEDULED_RUN = j -> j.trigger().equals("scheduled") && j.status() != JobStatus.SKIPPED
            && j.status() != JobStatus.QUEUED && j.endedAt() != null;

    /** Waits until at least {@code count} jobs of the connection match {@code which}; returns those, oldest first. */
    private static List<JobRecord> awaitJobs(TestingServer server, String connection, int count, Predicate<JobRecord> which)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        List<JobRecord> jobs;
        while ((jobs = server.server().jobs(connection, 100).stream().filter(which).sorted(Comparator.comparing(JobRecord::id)).toList())
                .size() < count) {
            assertThat(System.currentTimeMillis()).as("%d matching jobs of %s, have %s", count, connection, jobs).isLessThan(deadline);
            Thread.sleep(100);
        }
        return jobs;
    }

    @Test
    void cronAndIntervalSchedulesFireWithoutOverlappingRuns(@TempDir Path home) throws Exception {
        try (TestingServer server = new TestingServer(home)) {
            assertThat(server.server().camelContext().hasComponent("quartz")).as("no schedule yet: Quartz not started").isNull();
            server.server().apply("""
                    sources:
                      - {name: small, connector: faker, config: {count: 20}}
                      - {name: big, connector: faker, config: {count: 400000}}
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: every-second, source: small, destination: lake, namespace: cron, schedule: {cron: "* * * * * ?"}, streams: [{name: users}]}
                      - {name: interval, source: small, destination: lake, namespace: interval, schedule: {every: 1s}, streams: [{name: products}]}
                      - name: slow
                        source: big
                        destination: lake
                        namespace: slow
                        schedule: {cron: "* * * * * ?"}
                        streams: [{name: purchases, sync_mode: full_refresh_append}]
                    """.formatted(home.resolve("lake")), "schedules.yaml");
            assertThat(server.server().camelContext().hasComponent("quartz")).as("started by the first schedule route").isNotNull();
            HttpJson api = new HttpJson(server.apiUrl());
            assertThat(api.get("/connections/every-second").json().at("/status/next_sync_at").asText()).isNotEmpty();
            assertThat(Instant.parse(api.get("/connections/interval").json().at("/status/next_sync_at").asText())).isAfter(Instant.now().minusSeconds(5));

            for (String connection : List.of("every-second", "interval")) {
                assertThat(awaitJobs(server, connection, 2, SCHEDULED_RUN)).allSatisfy(j -> {
                    assertThat(j.status()).as("job %d of %s", j.id(), connection).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(j.scheduledAt()).as("scheduled fire time of job %d", j.id()).isNotNull().isBeforeOrEqualTo(j.startedAt());
                });
            }

            // A run of 800k rows lasts longer than the 1 s between triggers; a manual sync meanwhile is refused.
            long deadline = System.currentTimeMillis() + 30_000;
            while (api.get("/connections/slow").json().at("/status/running_job_id").isNull()) {
                assertThat(System.currentTimeMillis()).as("a scheduled run of slow starts").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(api.post("/connections/sync", "{\"connection\":\"slow\"}").status()).isEqualTo(409);
            assertThat(server.server().jobs("slow", 100)).filteredOn(j -> j.trigger().equals("api"))
                    .as("the refused manual sync is recorded as skipped, and only that").singleElement()
                    .satisfies(j -> assertThat(j.status()).isEqualTo(JobStatus.SKIPPED));

            List<JobRecord> runs = awaitJobs(server, "slow", 2, SCHEDULED_RUN);
            assertThat(runs).allSatisfy(j -> assertThat(j.scheduledAt()).as("scheduled fire time of job %d", j.id()).isNotNull()
                    .isBeforeOrEqualTo(j.startedAt()));
            for (int i = 1; i < runs.size(); i++) {
                assertThat(runs.get(i).startedAt()).as("job %d starts after job %d ended", runs.get(i).id(), runs.get(i - 1).id())
                        .isAfterOrEqualTo(runs.get(i - 1).endedAt());
            }
            assertThat(server.server().jobs("slow", 100)).as("no job but the scheduled ones ran")
                    .filteredOn(j -> j.status() != JobStatus.SKIPPED).allSatisfy(j -> assertThat(j.trigger()).isEqualTo("scheduled"));
            api.post("/connections/slow/disable", "");
            api.post("/connections/every-second/disable", "");
            api.post("/connections/interval/disable", "");
            assertThat(api.get("/connections/slow").json().at("/status/next_sync_at").isNull()).isTrue();
        }
    }
}
