package dev.caravan.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quartz schedules fire, and never make two runs of one connection overlap. */
class ScheduleTest {

    private static List<JobRecord> awaitJobs(TestingServer server, String connection, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        List<JobRecord> jobs;
        while ((jobs = server.server().jobs(connection, 100).stream().filter(j -> j.endedAt() != null).toList()).size() < count) {
            assertThat(System.currentTimeMillis()).as("%d finished jobs of %s", count, connection).isLessThan(deadline);
            Thread.sleep(100);
        }
        return jobs;
    }

    @Test
    void cronAndIntervalSchedulesFireWithoutOverlappingRuns(@TempDir Path home) throws Exception {
        try (TestingServer server = new TestingServer(home)) {
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
            HttpJson api = new HttpJson(server.apiUrl());
            assertThat(api.get("/connections/every-second").json().at("/status/next_sync_at").asText()).isNotEmpty();
            assertThat(Instant.parse(api.get("/connections/interval").json().at("/status/next_sync_at").asText())).isAfter(Instant.now().minusSeconds(5));

            assertThat(awaitJobs(server, "every-second", 2)).allSatisfy(j -> assertThat(j.trigger()).isEqualTo("scheduled"));
            assertThat(awaitJobs(server, "interval", 2)).allSatisfy(j -> assertThat(j.trigger()).isEqualTo("scheduled"));

            // A run of 800k rows lasts longer than the 1 s between triggers; a manual sync meanwhile is refused.
            long deadline = System.currentTimeMillis() + 30_000;
            while (api.get("/connections/slow").json().at("/status/running_job_id").isNull() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(api.post("/connections/sync", "{\"connection\":\"slow\"}").status()).isEqualTo(409);
            // The refused manual sync is recorded as a SKIPPED job; the runs are the others.
            List<JobRecord> slow = awaitJobs(server, "slow", 3).stream().filter(j -> j.status() != JobStatus.SKIPPED)
                    .sorted(Comparator.comparing(JobRecord::startedAt)).toList();
            assertThat(slow).hasSizeGreaterThanOrEqualTo(2);
            assertThat(slow).allSatisfy(j -> assertThat(j.scheduledAt()).as("scheduled fire time of job %d", j.id()).isNotNull()
                    .isBeforeOrEqualTo(j.startedAt()));
            for (int i = 1; i < slow.size(); i++) {
                assertThat(slow.get(i).startedAt()).as("job %d starts after job %d ended", slow.get(i).id(), slow.get(i - 1).id())
                        .isAfterOrEqualTo(slow.get(i - 1).endedAt());
            }
            api.post("/connections/slow/disable", "");
            api.post("/connections/every-second/disable", "");
            api.post("/connections/interval/disable", "");
            assertThat(api.get("/connections/slow").json().at("/status/next_sync_at").isNull()).isTrue();
        }
    }
}
