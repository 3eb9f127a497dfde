package dev.caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.server.ServerSettings;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.Await;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two cluster nodes (servers in this JVM) on the local PostgreSQL: a running job cancelled through the node that does not
 * run it, a replay that waits for the cluster's worker limits, and nodes started with different limits reported.
 */
class ClusterOperationsTest {
    @TempDir
    Path home;

    @Test
    void aJobRunningOnNodeAIsCancelledThroughNodeB() throws Exception {
        try (TestingPostgres store = new TestingPostgres(); TwoNodes nodes = new TwoNodes(home, store, Map.of())) {
            nodes.apply("c1");
            JsonNode started = nodes.sync(nodes.apiA, "c1");
            long id = started.get("id").asLong();
            Await.until("job " + id + " reads on node a", () -> {
                JsonNode job = nodes.apiA.get("/jobs/" + id).json();
                return job.has("progress") && job.get("progress").get("records").asLong() > 0;
            });

            Instant asked = Instant.now();
            HttpJson.Response cancel = nodes.apiB.post("/jobs/" + id + "/cancel", "");
            assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);
            assertThat(cancel.json().get("status").asText()).as("node b cannot stop it itself: it says so").isEqualTo("cancel requested");
            assertThat(cancel.json().get("node").asText()).isEqualTo("a");
            assertThat(cancel.json().get("message").asText()).contains("node a runs the job");

            JobRecord cancelled = nodes.awaitEnded(started).get(0);
            assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(cancelled.nodeId()).isEqualTo("a");
            assertThat(cancelled.errorMessage()).isEqualTo("cancelled on request through node b");
            assertThat(Duration.between(asked, cancelled.endedAt())).as("node a saw the request within its poll and stopped at a batch boundary")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(cancelled.records()).as("the job's records are those its committed checkpoints covered: none").isZero();
            // as a cancel through node a would: nothing committed, so the stream's state and the lake are as before the job
            assertThat(nodes.b.server().states().load("c1", "purchases")).isEmpty();
            assertThat(nodes.b.server().states().history("c1", "purchases")).isEmpty();
            assertThat(parquetFiles(nodes.lake("c1").resolve("raw/c1/purchases"))).isEmpty();

            assertThat(nodes.apiB.post("/jobs/" + id + "/cancel", "").status()).as("an ended job is not running").isEqualTo(409);
        }
    }

    @Test
    void aReplayWaitsForTheClusterWorkerLimits() throws Exception {
        Map<String, String> limits = Map.of(ServerSettings.SYNC_MAX_CONCURRENT_JOBS, "1");
        try (TestingPostgres store = new TestingPostgres(); TwoNodes nodes = new TwoNodes(home, store, limits)) {
            nodes.apply("c1", "c2");
            JsonNode first = nodes.sync(nodes.apiB, "c2");
            assertThat(nodes.awaitEnded(first)).extracting(JobRecord::status).containsExactly(JobStatus.SUCCEEDED);
            JsonNode big = nodes.sync(nodes.apiA, "c1");
            assertThat(big.get("status").asText()).isEqualTo("running");

            HttpJson.Response replay = nodes.apiB.post("/jobs/" + first.get("id").asLong() + "/replay", "");
            assertThat(replay.status()).as(replay.text()).isEqualTo(202);
            assertThat(replay.json().get("status").asText()).as("the one slot of the cluster is taken by c1 on node a").isEqualTo("queued");
            assertThat(replay.json().get("error").asText()).contains("free worker").contains("1 of 1").contains("in the cluster");
            assertThat(replay.json().get("trigger").asText()).isEqualTo("replay:" + first.get("id").asLong());

            List<JobRecord> jobs = nodes.awaitEnded(big, replay.json());
            assertThat(jobs).extracting(JobRecord::status).containsOnly(JobStatus.SUCCEEDED);
            assertThat(jobs.get(1).startedAt()).as("the replay after c1").isAfterOrEqualTo(jobs.get(0).endedAt());
            assertThat(jobs.get(1).records()).as("a replay delivers what the replayed job did").isEqualTo(nodes.stored(first).records());
        }
    }

    @Test
    void nodesWithDifferentWorkerLimitsAreReported() throws Exception {
        try (TestingPostgres store = new TestingPostgres();
             TwoNodes nodes = new TwoNodes(home, store, Map.of(ServerSettings.SYNC_MAX_CONCURRENT_JOBS, "1"),
                     Map.of(ServerSettings.SYNC_MAX_CONCURRENT_JOBS, "2", ServerSettings.SYNC_MAX_JOBS_PER_DESTINATION, "1"))) {
            for (HttpJson api : List.of(nodes.apiA, nodes.apiB)) {
                JsonNode view = api.get("/cluster/nodes").json();
                assertThat(view.get("nodes")).extracting(node -> node.get("id").asText() + " " + node.get("max_concurrent_jobs").asInt() + "/"
                        + node.get("max_jobs_per_destination").asInt()).containsExactly("a 1/0", "b 2/1");
                assertThat(view.get("warnings")).singleElement().satisfies(warning -> assertThat(warning.asText())
                        .contains("different worker limits")
                        .contains("node a: max-concurrent-jobs=1, max-jobs-per-destination=0")
                        .contains("node b: max-concurrent-jobs=2, max-jobs-per-destination=1")
                        .contains("set the same caravan.sync.max-concurrent-jobs and caravan.sync.max-jobs-per-destination on every node"));
            }
        }
        try (TestingPostgres store = new TestingPostgres(); TwoNodes nodes = new TwoNodes(home.resolve("same"), store, Map.of())) {
            assertThat(nodes.apiB.get("/cluster/nodes").json().get("warnings")).as("the same limits everywhere").isEmpty();
        }
    }

    private static List<Path> parquetFiles(Path directory) throws java.io.IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".parquet")).toList();
        }
    }
}
