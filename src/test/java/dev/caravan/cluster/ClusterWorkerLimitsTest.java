package dev.caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.server.ServerSettings;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.cli.CliRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two cluster nodes (servers in this JVM) on one real PostgreSQL metadata store: the worker limits count the jobs of the
 * whole cluster, queued jobs start oldest first wherever they were queued, and a trigger while its connection runs on the
 * other node is queued and runs after it. Every claim is checked on the jobs' start and end times in the store.
 */
class ClusterWorkerLimitsTest {
    @TempDir
    Path home;

    @Test
    void oneJobAtATimeInTheWholeClusterOldestQueuedFirst() throws Exception {
        Map<String, String> limits = Map.of(ServerSettings.SYNC_MAX_CONCURRENT_JOBS, "1");
        try (TestingPostgres store = new TestingPostgres(); TwoNodes nodes = new TwoNodes(home, store, limits); ParquetQuery duck = new ParquetQuery()) {
            nodes.apply("c1", "c2", "c3", "c4");
            JsonNode c1 = nodes.sync(nodes.apiA, "c1");
            assertThat(c1.get("status").asText()).isEqualTo("running");
            JsonNode c2 = nodes.sync(nodes.apiB, "c2");
            assertThat(c2.get("status").asText()).as("a slot of the cluster, not of node b, is taken").isEqualTo("queued");
            assertThat(c2.get("node").asText()).isEqualTo("b");
            assertThat(c2.get("error").asText()).contains("free worker").contains("1 of 1").contains("in the cluster")
                    .contains("caravan.sync.max-concurrent-jobs");
            JsonNode c3 = nodes.sync(nodes.apiA, "c3");
            assertThat(c3.get("status").asText()).isEqualTo("queued");
            JsonNode c4 = nodes.sync(nodes.apiA, "c4");
            assertThat(nodes.apiB.post("/jobs/" + c4.get("id").asLong() + "/cancel", "").status()).as("a job queued on node a, cancelled through b")
                    .isEqualTo(202);

            JsonNode queued = nodes.apiA.get("/jobs?status=queued").json().get("jobs");
            assertThat(queued).as("node a lists the cluster's queued jobs, node b's too").extracting(job -> job.get("id").asLong())
                    .containsExactlyInAnyOrder(c2.get("id").asLong(), c3.get("id").asLong());
            assertThat(queued).allSatisfy(job -> assertThat(job.get("error").asText()).contains("free worker"))
                    .extracting(job -> job.get("node").asText()).containsExactlyInAnyOrder("b", "a");
            // the CLI shows the node of each job of a cluster
            CliRun cli = CliRun.of("jobs", "--status", "queued", "--server", nodes.a.baseUrl());
            assertThat(cli.exit()).as(cli.err()).isZero();
            // the servers of this JVM log to the same stdout the CLI's output is captured from: their lines are not the CLI's
            assertThat(cli.out().lines().filter(line -> !line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*")).findFirst().orElseThrow()).contains("NODE");
            assertThat(cli.out()).containsPattern("(?m)^" + c2.get("id").asLong() + " +c2 +queued .* b +waiting for a free worker")
                    .containsPattern("(?m)^" + c3.get("id").asLong() + " +c3 +queued .* a +waiting for a free worker");

            JobRecord cancelled = nodes.awaitEnded(c4).get(0);
            assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(cancelled.errorMessage()).contains("through node b");
            assertThat(cancelled.attempts()).as("never ran").isEmpty();

            List<JobRecord> jobs = nodes.awaitEnded(c1, c2, c3);
            assertThat(jobs).extracting(JobRecord::status).containsOnly(JobStatus.SUCCEEDED);
            assertThat(jobs).extracting(JobRecord::nodeId).containsExactly("a", "b", "a");
            assertNoTwoAtOnce(jobs);
            // node a, idle once c1 ended, left the slot to node b's older c2 before starting its own c3
            assertThat(jobs.get(1).startedAt()).as("c2 after c1").isAfterOrEqualTo(jobs.get(0).endedAt());
            assertThat(jobs.get(2).startedAt()).as("c3 after c2, the older queued job").isAfterOrEqualTo(jobs.get(1).endedAt());
            for (String name : List.of("c1", "c2", "c3")) {
                assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(nodes.lake(name).resolve("raw/" + name + "/purchases"))))
                        .isEqualTo(2L * (name.equals("c1") ? TwoNodes.BIG : TwoNodes.SMALL));
            }
        }
    }

    @Test
    void oneJobPerDestinationInTheClusterAndATriggerQueuedBehindTheOtherNode() throws Exception {
        Map<String, String> limits = Map.of(ServerSettings.SYNC_MAX_JOBS_PER_DESTINATION, "1", ServerSettings.SYNC_ON_OVERLAP, "queue");
        try (TestingPostgres store = new TestingPostgres(); TwoNodes nodes = new TwoNodes(home, store, limits)) {
            nodes.apply("a1", "a2", "b1");
            JsonNode a1 = nodes.sync(nodes.apiA, "a1");
            assertThat(a1.get("status").asText()).isEqualTo("running");
            JsonNode a2 = nodes.sync(nodes.apiB, "a2");
            assertThat(a2.get("status").asText()).as("lake-a has its one job, on node a").isEqualTo("queued");
            assertThat(a2.get("error").asText()).contains("destination lake-a").contains("1 of 1").contains("caravan.sync.max-jobs-per-destination");
            JsonNode b1 = nodes.sync(nodes.apiB, "b1");
            assertThat(b1.get("status").asText()).as("another destination is free").isEqualTo("running");
            JsonNode again = nodes.sync(nodes.apiB, "a1");
            assertThat(again.get("status").asText()).as("a1 runs on node a: node b queues the trigger").isEqualTo("queued");
            assertThat(again.get("error").asText()).contains("running on node a");
            HttpJson.Response third = nodes.apiA.post("/connections/sync", "{\"connection\":\"a1\"}");
            assertThat(third.status()).as("one job of a connection waits, on any node: %s", third.text()).isEqualTo(409);
            JsonNode skipped = nodes.apiA.get("/jobs?connection=a1&status=skipped").json().get("jobs");
            assertThat(skipped).singleElement().satisfies(job -> assertThat(job.get("error").asText()).contains("already queued on node b"));

            JsonNode queued = nodes.apiA.get("/jobs?status=queued").json().get("jobs");
            assertThat(queued).extracting(job -> job.get("id").asLong()).containsExactlyInAnyOrder(a2.get("id").asLong(), again.get("id").asLong());
            assertThat(queued).extracting(job -> job.get("node").asText()).containsOnly("b");

            List<JobRecord> jobs = nodes.awaitEnded(a1, a2, b1, again);
            assertThat(jobs).extracting(JobRecord::status).containsOnly(JobStatus.SUCCEEDED);
            JobRecord first = jobs.get(0);
            JobRecord second = jobs.get(1);
            JobRecord other = jobs.get(2);
            JobRecord queuedBehind = jobs.get(3);
            assertThat(other.startedAt()).as("b1 ran while a1 ran").isBefore(first.endedAt());
            assertThat(second.startedAt()).as("a2 after a1: one job per destination").isAfterOrEqualTo(first.endedAt());
            assertThat(queuedBehind.nodeId()).as("the queued trigger runs on the node that queued it").isEqualTo("b");
            assertThat(queuedBehind.startedAt()).as("the second a1 after the first, and after a2 (older, same destination)")
                    .isAfterOrEqualTo(first.endedAt()).isAfterOrEqualTo(second.endedAt());
            assertNoTwoAtOnce(List.of(first, second, queuedBehind));
        }
    }

    @Test
    void withoutLimitsATriggerWhileTheConnectionRunsOnTheOtherNodeIsQueuedAndRunsAfterIt() throws Exception {
        try (TestingPostgres store = new TestingPostgres(); TwoNodes nodes = new TwoNodes(home, store, Map.of(ServerSettings.SYNC_ON_OVERLAP, "queue"))) {
            nodes.apply("a1", "b1");
            JsonNode first = nodes.sync(nodes.apiA, "a1");
            JsonNode other = nodes.sync(nodes.apiB, "b1");
            assertThat(other.get("status").asText()).as("no limit").isEqualTo("running");
            JsonNode queued = nodes.sync(nodes.apiB, "a1");
            assertThat(queued.get("status").asText()).isEqualTo("queued");
            assertThat(queued.get("error").asText()).contains("running on node a");
            assertThat(nodes.apiA.post("/connections/sync", "{\"connection\":\"a1\"}").status()).as("one waits at most").isEqualTo(409);

            List<JobRecord> jobs = nodes.awaitEnded(first, queued);
            assertThat(jobs).extracting(JobRecord::status).containsOnly(JobStatus.SUCCEEDED);
            assertThat(jobs.get(1).nodeId()).isEqualTo("b");
            assertThat(jobs.get(1).startedAt()).isAfterOrEqualTo(jobs.get(0).endedAt());
        }
    }

    @Test
    void aNodeRestartedWithItsIdEndsTheJobsItLeftSoTheyHoldNoSlot() throws Exception {
        Map<String, String> limits = Map.of(ServerSettings.SYNC_MAX_CONCURRENT_JOBS, "1");
        try (TestingPostgres store = new TestingPostgres()) {
            long left;
            try (TwoNodes nodes = new TwoNodes(home, store, limits)) {
                nodes.apply("b1", "c1"); // c1 reads the small source
            }
            // what a killed node a leaves behind when it comes back within the lease timeout
            try (dev.caravan.state.StateDatabase db = dev.caravan.state.StateDatabase.open(store.jdbcUrl(), store.user(), "")) {
                left = new dev.caravan.state.JobRepository(db.dataSource(), text -> text, "a").start("c1", "api", java.time.Instant.now());
            }
            try (TwoNodes nodes = new TwoNodes(home, store, limits)) {
                JobRecord interrupted = nodes.stored(nodes.apiA.get("/jobs/" + left).json());
                assertThat(interrupted.status()).isEqualTo(JobStatus.INTERRUPTED);
                assertThat(interrupted.errorMessage()).startsWith("the server stopped");
                JsonNode next = nodes.sync(nodes.apiB, "c1");
                assertThat(next.get("status").asText()).as("the job left RUNNING holds no slot: %s", next).isEqualTo("running");
                assertThat(nodes.awaitEnded(next)).extracting(JobRecord::status).containsExactly(JobStatus.SUCCEEDED);
            }
        }
    }

    private static void assertNoTwoAtOnce(List<JobRecord> jobs) {
        for (JobRecord job : jobs) {
            for (JobRecord other : jobs) {
                if (other != job) {
                    boolean overlap = job.startedAt().isBefore(other.endedAt()) && other.startedAt().isBefore(job.endedAt());
                    assertThat(overlap).as("job %d of %s (%s–%s) and job %d of %s (%s–%s) ran at once", job.id(), job.connection(),
                            job.startedAt(), job.endedAt(), other.id(), other.connection(), other.startedAt(), other.endedAt()).isFalse();
                }
            }
        }
    }
}
