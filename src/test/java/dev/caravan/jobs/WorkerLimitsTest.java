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

    private static boolean runsAt(JobRecord job, Instant instant) {
        return !job.startedAt().isAfter(instant) && job.endedAt().isAfter(instant);
    }
}
