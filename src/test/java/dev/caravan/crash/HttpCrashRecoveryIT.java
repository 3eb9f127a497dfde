package dev.caravan.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.source.http.TestingHttpApi;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental sync of the http source, in a separate server process, killed with SIGKILL after a batch was published
 * and before its state was committed; restarted (with records added meanwhile, some at the last cursor value), it
 * resumes from the last committed page and cursor, and an independent reader finds every record exactly once.
 */
class HttpCrashRecoveryIT {
    /** Three records per cursor value: pages of 500 split cursor values, so the kill lands inside a tie. */
    private static final int EVENTS = 30_000;
    @TempDir
    Path home;

    private static String route(String after) {
        return """
                - route:
                    id: crash.events
                    group: crash
                    from:
                      uri: caravan-source:crash/events
                      parameters: {source: api, syncMode: incremental_append, cursorField: at, primaryKey: id, batchSize: 500}
                      steps:
                        - to: {uri: caravan-parquet:lake}
                %s""".formatted(after);
    }

    @Test
    void anIncrementalHttpSyncKilledBeforeItsStateCommitResumesWithNoDuplicate() throws Exception {
        try (TestingHttpApi source = new TestingHttpApi()) {
            for (int i = 1; i <= EVENTS; i++) {
                source.event(i, i / 3, "e");
            }
            // 60 pages of >= 60 ms and checkpoint_interval_seconds 1: batch 20 comes >= 1.2 s after the first file opened,
            // so a checkpoint is committed before it (the killed job has records), and the kill point (the next publish,
            // at batch >= 20) comes before the last page, however fast the machine
            source.eventsDelayMs = 60;
            Path manifest = Files.writeString(home.resolve("events.yaml"), """
                    version: 1
                    base_url: http://set.by.config
                    streams:
                      - name: events
                        path: /api/events
                        records: /items
                        primary_key: [id]
                        pagination: {type: offset, param: offset, size_param: limit, size: 500}
                        incremental: {cursor_field: at, request_param: since}
                        schema: {properties: {id: {type: integer}, at: {type: string, format: date-time}, kind: {type: string}}}
                    """);
            Path lake = home.resolve("lake");
            Path routeFile = home.resolve("camel-routes/crash.yaml");
            try (TestingProcess first = new TestingProcess(home, null)) {
                HttpJson api = new HttpJson(first.apiUrl());
                HttpJson.Response applied = api.postYaml("/apply", """
                        sources: [{name: api, connector: http, config: {manifest: "%s", base_url: "%s"}}]
                        destinations: [{name: lake, connector: local, config: {path: "%s", checkpoint_interval_seconds: 1}}]
                        connections: [{name: crash, source: api, destination: lake, routes: hand_written}]
                        """.formatted(manifest, source.baseUrl(), lake));
                assertThat(applied.status()).as(applied.text()).isEqualTo(200);
                Files.writeString(routeFile, route("""
                                - filter:
                                    simple: "${header.CaravanBatchIndex} >= 20 && ${header.CaravanDurable} == true"
                                    steps: [{log: "CARAVAN-CRASH-POINT"}, {delay: {constant: 600000}}]
                        """));
                CrashRecoveryIT.startSync(api);
                first.awaitLine("CARAVAN-CRASH-POINT", Duration.ofSeconds(120));
                first.kill();
            }
            // meanwhile: records at the last cursor value of the source (a tie across the syncs) and after it
            long lastMinute = EVENTS / 3;
            for (int i = 1; i <= 5; i++) {
                source.event(EVENTS + i, i <= 2 ? lastMinute : lastMinute + i, "late");
            }
            Files.writeString(routeFile, route(""));
            try (TestingProcess second = new TestingProcess(home, null); ParquetQuery duck = new ParquetQuery()) {
                HttpJson api = new HttpJson(second.apiUrl());
                JsonNode killed = api.get("/jobs?connection=crash").json().get("jobs").get(0);
                assertThat(killed.get("status").asText()).isEqualTo("interrupted");
                assertThat(killed.get("records").asLong()).as("records the killed job committed: %s", killed).isPositive();
                JsonNode done = CrashRecoveryIT.awaitJob(api, CrashRecoveryIT.startSync(api).get("id").asLong());
                assertThat(done.get("records").asLong()).as("the resumed job reads only what was not committed").isLessThan(EVENTS);
                assertThat(killed.get("records").asLong() + done.get("records").asLong()).isEqualTo(EVENTS + 5);
                String files = ParquetQuery.files(lake.resolve("raw/events"));
                assertThat(duck.count("SELECT count(*) FROM " + files)).as("records").isEqualTo(EVENTS + 5);
                assertThat(duck.count("SELECT count(DISTINCT id) FROM " + files)).as("distinct ids").isEqualTo(EVENTS + 5);
                assertThat(duck.count("SELECT sum(id) FROM " + files)).isEqualTo((long) (EVENTS + 5) * (EVENTS + 6) / 2);
            }
        }
    }
}
