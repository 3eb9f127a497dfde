package dev.caravan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.server.ServerSettings;
import dev.caravan.state.JobRecord;
import dev.caravan.testing.Await;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes a and b (servers in this JVM) in cluster mode on {@code store}, each with its own home, and an API client for
 * each. Their connections read a faker source: the first of {@link #apply} the big one (its job copies {@value #BIG}
 * users and twice as many purchases: long enough for the next triggers to find it running), the others {@value #SMALL}.
 */
final class TwoNodes implements AutoCloseable {
    static final int BIG = 800_000;
    static final int SMALL = 20_000;
    final TestingServer a;
    final TestingServer b;
    final HttpJson apiA;
    final HttpJson apiB;

    private final Path home;

    /** Both nodes with {@code limits} (any settings) beside the cluster's. */
    TwoNodes(Path home, TestingPostgres store, Map<String, String> limits) {
        this(home, store, limits, limits);
    }

    TwoNodes(Path home, TestingPostgres store, Map<String, String> settingsA, Map<String, String> settingsB) {
        this.home = home;
        a = new TestingServer(home.resolve("a"), settings(store, "a", settingsA));
        TestingServer started = null;
        try {
            started = new TestingServer(home.resolve("b"), settings(store, "b", settingsB));
        } finally {
            if (started == null) {
                a.close();
            }
        }
        b = started;
        apiA = new HttpJson(a.apiUrl());
        apiB = new HttpJson(b.apiUrl());
    }

    private static Map<String, String> settings(TestingPostgres store, String node, Map<String, String> limits) {
        Map<String, String> all = new HashMap<>(Map.of(ServerSettings.STATE_URL, store.jdbcUrl(), ServerSettings.STATE_USER, store.user(),
                ServerSettings.CLUSTER_ENABLED, "true", ServerSettings.CLUSTER_NODE_ID, node, ServerSettings.CLUSTER_LEASE_TIMEOUT_MS, "4000",
                ServerSettings.SYNC_MAX_ATTEMPTS, "1"));
        all.putAll(limits);
        return all;
    }

    Path lake(String connection) {
        return home.resolve("lake-" + connection.charAt(0));
    }

    /**
     * Stores the connections (destination lake-{first letter}; the first reads the big source) through node a and
     * waits until both nodes run their routes.
     */
    void apply(String... connections) throws InterruptedException {
        apply(BIG, connections);
    }

    /** {@link #apply(String...)} with a big source of {@code bigCount} users. */
    void apply(int bigCount, String... connections) throws InterruptedException {
        StringBuilder yaml = new StringBuilder("sources:\n  - {name: big, connector: faker, config: {count: " + bigCount + "}}\n"
                + "  - {name: small, connector: faker, config: {count: " + SMALL + "}}\ndestinations:\n");
        for (String lake : List.of("a", "b", "c")) {
            yaml.append("  - {name: lake-").append(lake).append(", connector: local, config: {path: \"").append(home.resolve("lake-" + lake))
                    .append("\"}}\n");
        }
        yaml.append("connections:\n");
        for (String name : connections) {
            yaml.append("  - {name: %s, source: %s, destination: lake-%s, namespace: %s, streams: [{name: purchases, sync_mode: incremental_append, cursor_field: updated_at}]}\n"
                    .formatted(name, name.equals(connections[0]) ? "big" : "small", name.charAt(0), name));
        }
        a.server().apply(yaml.toString(), "limits.yaml");
        Await.until("node b runs the routes of " + List.of(connections), () -> b.server().coordinator().connections().containsAll(List.of(connections)));
    }

    JsonNode sync(HttpJson api, String connection) {
        HttpJson.Response response = api.post("/connections/sync", "{\"connection\":\"" + connection + "\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.json();
    }

    /** The jobs, as stored (read through node a), once every one has ended (within 3 minutes). */
    List<JobRecord> awaitEnded(JsonNode... started) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            List<JobRecord> jobs = java.util.Arrays.stream(started).map(this::stored).toList();
            if (jobs.stream().allMatch(job -> job.endedAt() != null)) {
                return jobs;
            }
            assertThat(System.currentTimeMillis()).as("jobs ended: %s", jobs).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    JobRecord stored(JsonNode job) {
        long id = job.get("id").asLong();
        return a.server().jobs(job.get("connection").asText(), 20).stream().filter(j -> j.id() == id).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        try {
            b.close();
        } finally {
            a.close();
        }
    }
}
