package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.jmx.ConnectionMBeans;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying an earlier incremental job gets exactly that job's rows, in a new generation, without moving the cursor. */
class ReplayTest {

    private static String document(Path lake, int count) {
        return """
                sources: [{name: f, connector: faker, config: {count: %d}}]
                destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                connections:
                  - {name: inc, source: f, destination: lake, streams: [{name: users, sync_mode: incremental_append, cursor_field: updated_at, primary_key: [id]}]}
                """.formatted(count, lake);
    }

    private static JobRecord awaitJob(TestingServer server, long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            JobRecord job = server.server().jobs("inc", 20).stream().filter(j -> j.id() == id).findFirst().orElseThrow();
            if (job.endedAt() != null) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not end");
    }

    @Test
    void aReplayedJobWritesExactlyItsRowsAgainInANewGeneration(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            server.server().apply(document(lake, 100), "v1.yaml");
            server.server().syncNow("inc").orElseThrow();
            server.server().apply(document(lake, 150), "v2.yaml");
            JobRecord second = server.server().syncNow("inc").orElseThrow();
            assertThat(second.records()).isEqualTo(50);
            server.server().apply(document(lake, 200), "v3.yaml");
            server.server().syncNow("inc").orElseThrow();
            Map<String, Object> cursor = server.server().states().load("inc", "users").orElseThrow().state();

            HttpJson api = new HttpJson(server.apiUrl());
            HttpJson.Response started = api.post("/jobs/" + second.id() + "/replay", "");
            assertThat(started.status()).as(started.text()).isEqualTo(202);
            JobRecord replay = awaitJob(server, started.json().get("id").asLong());
            assertThat(replay.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(replay.trigger()).isEqualTo("replay:" + second.id());
            assertThat(replay.records()).isEqualTo(50);

            Path users = lake.resolve("raw/users");
            List<Map<String, Object>> replayed = duck.rows("SELECT min(id) AS lo, max(id) AS hi, count(*) AS n, min(_airbyte_generation_id) AS g FROM "
                    + ParquetQuery.files(users) + " WHERE _airbyte_meta LIKE '%\"sync_id\":" + replay.id() + ",%'");
            assertThat(replayed.get(0)).containsEntry("lo", 101L).containsEntry("hi", 150L).containsEntry("n", 50L).containsEntry("g", 1L);
            assertThat(server.server().states().load("inc", "users").orElseThrow().state()).as("cursor unchanged").isEqualTo(cursor);
            assertThat(server.server().syncNow("inc").orElseThrow().records()).as("nothing new after a replay").isZero();

            // The same over JMX.
            long viaJmx = (Long) ManagementFactory.getPlatformMBeanServer().invoke(ConnectionMBeans.name("inc"), "replay",
                    new Object[] {second.id()}, new String[] {long.class.getName()});
            assertThat(awaitJob(server, viaJmx).records()).isEqualTo(50);
            assertThat(api.post("/jobs/999999/replay", "").status()).isEqualTo(404);
        }
    }
}
