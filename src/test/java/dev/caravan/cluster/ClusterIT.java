package dev.caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes share one PostgreSQL metadata store in cluster mode: a connection applied on one node gets its
 * routes on every node, each schedule fire runs one job on one node, a disabled schedule stops firing everywhere, and a
 * node killed with SIGKILL in the middle of a job has it taken over by another node, which finishes it from the last
 * committed checkpoint: the lake holds every record exactly once.
 */
class ClusterIT {
    private static final int PURCHASES = 600_000;

    @TempDir
    Path home;

    @Test
    void threeNodesShareSchedulesConnectionsAndJobs() throws Exception {
        try (TestingPostgres store = new TestingPostgres()) {
            String stateUrl = store.jdbcUrl() + "?user=postgres";
            Map<String, String> settings = Map.of("caravan.cluster.enabled", "true", "caravan.cluster.lease-timeout-ms", "4000",
                    "caravan.hawtio.enabled", "false");
            // the first node migrates the store alone; the other two start together
            TestingProcess first = new TestingProcess(home.resolve("node1"), stateUrl, settings);
            List<TestingProcess> nodes = new ArrayList<>(List.of(first));
            try {
                CompletableFuture<TestingProcess> second = CompletableFuture.supplyAsync(() -> new TestingProcess(home.resolve("node2"), stateUrl, settings));
                CompletableFuture<TestingProcess> third = CompletableFuture.supplyAsync(() -> new TestingProcess(home.resolve("node3"), stateUrl, settings));
                nodes.add(second.join());
                nodes.add(third.join());
                HttpJson one = new HttpJson(nodes.get(0).apiUrl());
                HttpJson two = new HttpJson(nodes.get(1).apiUrl());
                HttpJson three = new HttpJson(nodes.get(2).apiUrl());
                Path lake = home.resolve("lake");
                HttpJson.Response applied = one.postYaml("/apply", """
                        sources:
                          - {name: small, connector: faker, config: {count: 50}}
                          - {name: big, connector: faker, config: {count: %d}}
                        destinations: [{name: lake, connector: local, config: {path: "%s", file_size_mb: 2}}]
                        connections:
                          - {name: tick, source: small, destination: lake, schedule: {every: 1s}, streams: [{name: users}]}
                          - name: big
                            source: big
                            destination: lake
                            streams: [{name: purchases, sync_mode: incremental_append, cursor_field: updated_at}]
                        """.formatted(PURCHASES / 2, lake));
                assertThat(applied.status()).as(applied.text()).isEqualTo(200);

                await("every node beat with its API URL", 20_000, () -> {
                    JsonNode listed = three.get("/cluster/nodes").json().get("nodes");
                    return listed.size() == 3 && java.util.stream.StreamSupport.stream(listed.spliterator(), false).noneMatch(n -> n.get("api_url").isNull());
                });
                JsonNode members = three.get("/cluster/nodes").json();
                assertThat(members.get("nodes")).hasSize(3).allSatisfy(node -> assertThat(node.get("alive").asBoolean()).isTrue());
                assertThat(members.get("nodes")).extracting(node -> node.get("api_url").asText())
                        .containsExactlyInAnyOrder(nodes.get(0).apiUrl(), nodes.get(1).apiUrl(), nodes.get(2).apiUrl());

                // connections stored through node 1 get their routes on nodes 2 and 3 within seconds
                for (HttpJson node : List.of(two, three)) {
                    await("tick.yaml and big.yaml loaded on every node", 20_000, () -> loaded(node, "tick.yaml") && loaded(node, "big.yaml"));
                }
                // and so do connections stored later, once the nodes have built their view of the first ones
                HttpJson.Response later = one.postYaml("/apply", """
                        connections:
                          - {name: later, source: small, destination: lake, namespace: later, streams: [{name: users}]}
                        """);
                assertThat(later.status()).as(later.text()).isEqualTo(200);
                for (HttpJson node : List.of(two, three)) {
                    await("later.yaml loaded on every node", 20_000, () -> loaded(node, "later.yaml"));
                }

                // every fire of the 1 s schedule runs one job, on one node
                await("eight scheduled jobs of tick ended", 60_000, () -> ended(one, "tick", "scheduled").size() >= 8);
                assertThat(two.post("/connections/tick/disable", "").status()).isEqualTo(200);
                Thread.sleep(3_000);
                List<JsonNode> scheduled = ended(three, "tick", "scheduled");
                Set<String> fireTimes = new HashSet<>();
                for (JsonNode job : scheduled) {
                    assertThat(fireTimes.add(job.get("scheduled_at").asText())).as("one job per fire time: %s", job).isTrue();
                    assertThat(job.get("status").asText()).as(job.toString()).isIn("succeeded", "skipped");
                }
                Thread.sleep(3_000);
                assertThat(ended(one, "tick", "scheduled")).as("a disabled schedule fires on no node").hasSameSizeAs(scheduled);

                // node 2 runs a long job and is killed in the middle of it: another node takes the job over
                long killedId = two.post("/connections/sync", "{\"connection\":\"big\"}").json().get("id").asLong();
                await("job " + killedId + " committed some checkpoints", 60_000, () -> {
                    JsonNode job = two.get("/jobs/" + killedId).json();
                    return job.has("progress") && job.get("progress").get("records").asLong() > PURCHASES / 4;
                });
                HttpJson.Response refused = one.post("/connections/sync", "{\"connection\":\"big\"}");
                assertThat(refused.status()).as("no second job of a connection runs anywhere while one runs: %s", refused.text()).isEqualTo(409);
                assertThat(refused.text()).contains("is running on node");
                nodes.get(1).kill();
                await("a failover job of big succeeded", 90_000, () -> list(three, "big").stream()
                        .anyMatch(j -> j.get("trigger").asText().equals("failover:" + killedId) && j.get("status").asText().equals("succeeded")));
                JsonNode killed = one.get("/jobs/" + killedId).json();
                assertThat(one.get("/cluster/nodes").json().get("nodes")).filteredOn(node -> node.get("id").asText().equals(killed.get("node").asText()))
                        .singleElement().satisfies(node -> assertThat(node.get("alive").asBoolean()).as("the killed node").isFalse());
                assertThat(killed.get("status").asText()).isEqualTo("interrupted");
                assertThat(killed.get("error").asText()).contains("stopped answering");
                JsonNode failover = list(one, "big").stream().filter(j -> j.get("trigger").asText().equals("failover:" + killedId)).findFirst().orElseThrow();
                assertThat(failover.get("node").asText()).isNotEqualTo(killed.get("node").asText());
                assertThat(killed.get("records").asLong() + failover.get("records").asLong()).isEqualTo(PURCHASES);
                try (ParquetQuery duck = new ParquetQuery()) {
                    Path output = lake.resolve("raw/purchases");
                    assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(output))).isEqualTo(PURCHASES);
                    assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output))).isEqualTo(PURCHASES);
                }
            } catch (AssertionError e) {
                // what the nodes said is the first thing to read when this fails
                for (TestingProcess node : nodes) {
                    List<String> output = node.output();
                    System.err.println("---- " + node.apiUrl() + "\n" + String.join("\n", output.subList(Math.max(0, output.size() - 150), output.size())));
                }
                throw e;
            } finally {
                nodes.forEach(TestingProcess::close);
            }
        }
    }

    private static boolean loaded(HttpJson node, String file) {
        for (JsonNode entry : node.get("/route-files").json().get("files")) {
            if (entry.get("file").asText().equals(file)) {
                return entry.get("state").asText().equals("loaded");
            }
        }
        return false;
    }

    private static List<JsonNode> list(HttpJson node, String connection) {
        List<JsonNode> jobs = new ArrayList<>();
        node.get("/jobs?connection=" + connection + "&limit=1000").json().get("jobs").forEach(jobs::add);
        return jobs;
    }

    private static List<JsonNode> ended(HttpJson node, String connection, String trigger) {
        return list(node, connection).stream().filter(j -> j.get("trigger").asText().equals(trigger) && !j.get("ended_at").isNull()).toList();
    }

    private static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
