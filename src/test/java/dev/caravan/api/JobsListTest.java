package dev.caravan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /jobs without ?connection= lists the recent jobs of every connection, newest first, paged and filtered by status. */
class JobsListTest {

    private static List<String> jobs(HttpJson api, String query) {
        HttpJson.Response response = api.get("/jobs" + query);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<String> jobs = new ArrayList<>();
        for (JsonNode job : response.json().get("jobs")) {
            jobs.add(job.get("id").asLong() + " " + job.get("connection").asText() + " " + job.get("status").asText());
        }
        return jobs;
    }

    @Test
    void jobsOfAllConnectionsArePagedNewestFirstAndFilteredByStatus(@TempDir Path home) throws Exception {
        Path notADirectory = Files.writeString(home.resolve("not-a-directory"), "x");
        try (TestingServer server = new TestingServer(home)) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 10}}]
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s"}}
                      - {name: bad, connector: local, config: {path: "%s/sub"}}
                    connections:
                      - {name: good, source: f, destination: lake, streams: [{name: users}]}
                      - {name: broken, source: f, destination: bad, streams: [{name: users}]}
                    """.formatted(home.resolve("lake"), notADirectory), "setup.yaml");
            long first = server.server().syncNow("good").orElseThrow().id();
            long failed = server.server().syncNow("broken").orElseThrow().id();
            long last = server.server().syncNow("good").orElseThrow().id();
            assertThat(server.server().jobs("broken", 1).get(0).status()).isEqualTo(JobStatus.FAILED);
            HttpJson api = new HttpJson(server.apiUrl());

            assertThat(jobs(api, "")).containsExactly(last + " good succeeded", failed + " broken failed", first + " good succeeded");
            assertThat(jobs(api, "?limit=2")).containsExactly(last + " good succeeded", failed + " broken failed");
            assertThat(jobs(api, "?limit=2&offset=2")).containsExactly(first + " good succeeded");
            assertThat(jobs(api, "?status=failed")).containsExactly(failed + " broken failed");
            assertThat(jobs(api, "?status=FAILED,succeeded&limit=1")).containsExactly(last + " good succeeded");
            assertThat(jobs(api, "?connection=good&status=failed")).isEmpty();
            assertThat(jobs(api, "?connection=broken")).containsExactly(failed + " broken failed");
            HttpJson.Response bad = api.get("/jobs?status=failed,nope");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().at("/problems/0/path").asText()).isEqualTo("?status");
            assertThat(bad.json().at("/problems/0/value").asText()).isEqualTo("nope");
        }
    }
}
