package dev.caravan.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.server.ServerSettings;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At most N jobs at once in all and per destination; the others wait (visible as QUEUED with the reason) and run in order. */
class WorkerLimitsTest {
    private static final int USERS = 60_000;

    @Test
    void jobsPastTheLimitsWaitAreListedAndRunInTurn(@TempDir Path home) throws Exception {
        Path lakeA = home.resolve("lake-a");
        Path lakeB = home.resolve("lake-b");
        Map<String, String> settings = Map.of(ServerSettings.SYNC_MAX_CONCURRENT_JOBS, "2", ServerSettings.SYNC_MAX_JOBS_PER_DESTINATION, "1");
        try (TestingServer server = new TestingServer(home, settings); ParquetQuery duck = new ParquetQuery()) {
            StringBuilder connections = new StringBuilder();
            for (String name : List.of("a1", "a2", "a3", "b1", "b2")) {
                connections.append("  - {name: %s, source: f, destination: lake-%s, namespace: %s, streams: [{name: purchases, sync_mode: incremental_append, cursor_field: updated_at}]}\n"
                        .formatted(name, name.substring(0, 1), name));
            }
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: %d}}]
                    destinations:
                      - {name: lake-a, connector: local, config: {path: "%s"}}
                      - {name: lake-b, connector: local, config: {path: "%s"}}
                    connections:
                    %s""".formatted(USERS, lakeA, lakeB, connections), "limits.yaml");
            HttpJson api = new HttpJson(server.apiUrl());
            Map<String, JsonNode> started = new java.util.LinkedHashMap<>();
            for (String name : List.of("a1", "a2", "b1", "b2", "a3")) {
                HttpJson.Response response = api.post("/connections/sync", "{\"connection\":\"" + name + "\"}");
                assertThat(response.status()).as(response.text()).isEqualTo(202);
                started.put(name, response.json());
            }
            assertThat(started.get("a1").get("status").asText()).isEqualTo("running");
            assertThat(started.get("b1").get("status").asText()).isEqualTo("running");
            assertThat(started.get("a2").get("status").asText()).isEqualTo("queued");
            assertThat(started.get("a2").get("error").asText()).contains("destination lake-a").contains("1 of 1");
            assertThat(started.get("b2").get("error").asText()).contains("free worker").contains("2 of 2");
            JsonNode waiting = api.get("/jobs?status=queued").json().get("jobs");
            assertThat(waiting).as("due but waiting: listed").hasSize(3);

            long a3 = started.get("a3").get("id").asLong();
            assertThat(api.post("/jobs/" + a3 + "/cancel", "").status()).isEqualTo(202);

            List<JobRecord> jobs = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 120_000;
            do {
                Thread.sleep(100);
                jobs.clear();
                for (String name : started.keySet()) {
                    jobs.add(server.server().jobs(name, 1).get(0));
                }
            } while (jobs.stream().anyMatch(j -> j.endedAt() == null) && System.currentTimeMillis() < deadline);

            JobRecord cancelled = jobs.get(4);
            assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(cancelled.errorMessage()).contains("while waiting");
            List<JobRecord> ran = jobs.subList(0, 4);
            assertThat(ran).extracting(JobRecord::status).containsOnly(JobStatus.SUCCEEDED);
            // never more than 2 at once, never 2 on one destination: at each start, count the others running then
            for (JobRecord job : ran) {
                List<JobRecord> overlapping = ran.stream().filter(other -> other != job && runsAt(other, job.startedAt())).toList();
                assertThat(overlapping.size()).as("jobs running when %s started", job.connection()).isLessThanOrEqualTo(1);
                assertThat(overlapping).as("same destination as %s", job.connection())
                        .noneMatch(other -> other.connection().charAt(0) == job.connection().charAt(0));
            }
            assertThat(ran.get(1).startedAt()).as("a2 ran after a1").isAfterOrEqualTo(ran.get(0).endedAt());
            for (String name : List.of("a1", "a2", "b1", "b2")) {
                Path output = (name.startsWith("a") ? lakeA : lakeB).resolve("raw/" + name + "/purchases");
                assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output))).isEqualTo(2L * USERS);
            }
        }
    }

    @Test
    void aReplayWaitsForAWorkerAsAnyJob(@TempDir Path home) throws Exception {
        try (TestingServer server = new TestingServer(home, Map.of(ServerSettings.SYNC_MAX_CONCURRENT_JOBS, "1"))) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: %d}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - {name: r1, source: f, destination: lake, namespace: r1, streams: [{name: purchases, sync_mode: incremental_append, cursor_field: updated_at}]}
                      - {name: r2, source: f, destination: lake, namespace: r2, streams: [{name: purchases, sync_mode: incremental_append, cursor_field: updated_at}]}
                    """.formatted(USERS, home.resolve("lake")), "replay.yaml");
            HttpJson api = new HttpJson(server.apiUrl());
            HttpJson.Response first = api.post("/connections/sync", "{\"connection\":\"r2\",\"wait\":true}");
            assertThat(first.status()).as(first.text()).isEqualTo(200);
            HttpJson.Response other = api.post("/connections/sync", "{\"connection\":\"r1\"}");
            assertThat(other.json().get("status").asText()).isEqualTo("running");

            HttpJson.Response replay = api.post("/jobs/" + first.json().get("id").asLong() + "/replay", "");
            assertThat(replay.status()).as(replay.text()).isEqualTo(202);
            assertThat(replay.json().get("status").asText()).as("the one worker runs r1").isEqualTo("queued");
            assertThat(replay.json().get("error").asText()).contains("free worker").contains("1 of 1");

            long replayId = replay.json().get("id").asLong();
            JobRecord running = server.server().jobs("r1", 1).get(0);
            JobRecord replayed = server.server().jobs("r2", 1).get(0);
            long deadline = System.currentTimeMillis() + 120_000;
            while ((running.endedAt() == null || replayed.endedAt() == null) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                running = server.server().jobs("r1", 1).get(0);
                replayed = server.server().jobs("r2", 1).get(0);
            }
            assertThat(replayed.id()).isEqualTo(replayId);
            assertThat(List.of(running.status(), replayed.status())).containsOnly(JobStatus.SUCCEEDED);
            assertThat(replayed.startedAt()).as("the replay after r1").isAfterOrEqualTo(running.endedAt());
            assertThat(replayed.records()).isEqualTo(first.json().get("records").asLong());
        }
    }

    private static boolean runsAt(JobRecord job, Instant instant) {
        return !job.startedAt().isAfter(instant) && job.endedAt().isAfter(instant);
    }
}
