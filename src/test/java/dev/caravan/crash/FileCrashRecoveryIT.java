package dev.caravan.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingProcess;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental sync of the files source, in a separate server process, killed with SIGKILL in the middle of a large CSV
 * file, after a batch was published and before its state was committed; restarted (with a new file dropped meanwhile),
 * it resumes inside the file after its last durable record, and an independent reader finds every record exactly once.
 */
class FileCrashRecoveryIT {
    private static final int ROWS = 3_000_000;
    @TempDir
    Path home;

    /** Batches of 500 slowed to >= 2 ms each in the crash run: files are published every second, so batch 700 comes after one commit. */
    private static String route(String after) {
        return """
                - route:
                    id: crash.big
                    group: crash
                    from:
                      uri: caravan-source:crash/big
                      parameters: {source: drop, syncMode: incremental_append, cursorField: _ab_source_file_last_modified, batchSize: 500}
                      steps:
                        - to: {uri: caravan-parquet:lake}
                %s""".formatted(after);
    }

    @Test
    void anIncrementalFileSyncKilledMidFileResumesInsideItWithNoDuplicate() throws Exception {
        Path drop = Files.createDirectories(home.resolve("drop"));
        try (BufferedWriter out = Files.newBufferedWriter(drop.resolve("big.csv"))) {
            out.write("id,name\n");
            for (int i = 1; i <= ROWS; i++) {
                out.write(i + ",row " + i + "\n");
            }
        }
        Path lake = home.resolve("lake");
        Path routeFile = home.resolve("camel-routes/crash.yaml");
        try (TestingProcess first = new TestingProcess(home, null)) {
            HttpJson api = new HttpJson(first.apiUrl());
            HttpJson.Response applied = api.postYaml("/apply", """
                    sources: [{name: drop, connector: files, config: {path: "%s", streams: '[{"name": "big", "globs": ["*.csv"], "format": "csv"}]'}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s", checkpoint_interval_seconds: 1}}]
                    connections: [{name: crash, source: drop, destination: lake, routes: hand_written}]
                    """.formatted(drop, lake));
            assertThat(applied.status()).as(applied.text()).isEqualTo(200);
            Files.writeString(routeFile, route("""
                            - delay: {constant: 2}
                            - filter:
                                simple: "${header.CaravanBatchIndex} >= 700 && ${header.CaravanDurable} == true"
                                steps: [{log: "CARAVAN-CRASH-POINT"}, {delay: {constant: 600000}}]
                    """));
            CrashRecoveryIT.startSync(api);
            first.awaitLine("CARAVAN-CRASH-POINT", Duration.ofSeconds(120));
            first.kill();
        }
        Files.writeString(drop.resolve("later.csv"), "id,name\n" + (ROWS + 1) + ",late\n");
        Files.writeString(routeFile, route(""));
        try (TestingProcess second = new TestingProcess(home, null); ParquetQuery duck = new ParquetQuery()) {
            HttpJson api = new HttpJson(second.apiUrl());
            JsonNode killed = api.get("/jobs?connection=crash").json().get("jobs").get(0);
            assertThat(killed.get("status").asText()).isEqualTo("interrupted");
            assertThat(killed.get("records").asLong()).as("records the killed job committed: %s", killed).isPositive().isLessThan(ROWS);
            JsonNode done = CrashRecoveryIT.awaitJob(api, CrashRecoveryIT.startSync(api).get("id").asLong());
            assertThat(killed.get("records").asLong() + done.get("records").asLong()).as("resumed inside the file").isEqualTo(ROWS + 1);
            String files = ParquetQuery.files(lake.resolve("raw/big"));
            assertThat(duck.count("SELECT count(*) FROM " + files)).as("records").isEqualTo(ROWS + 1);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + files)).as("distinct ids").isEqualTo(ROWS + 1);
            assertThat(duck.count("SELECT sum(id) FROM " + files)).isEqualTo((long) (ROWS + 1) * (ROWS + 2) / 2);
        }
    }
}
