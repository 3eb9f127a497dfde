package dev.caravan.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server, a separate process, syncs 1M PostgreSQL rows and is killed with SIGKILL at a chosen point; restarted, it
 * finishes the sync, and an independent reader finds every source row exactly once. The kill points are reached with
 * Camel steps in the route itself: a log line the test waits for, then a long delay so the process is caught there.
 * Runs with the metadata store on the embedded H2 database and on PostgreSQL.
 */
class CrashRecoveryIT {
    private static final int ROWS = 1_000_000;
    private static TestingPostgres source;

    @TempDir
    Path home;

    @BeforeAll
    static void seed() throws Exception {
        source = new TestingPostgres();
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, amount numeric(12,2), updated_at timestamp)");
            s.execute("INSERT INTO t SELECT g, 'name ' || g, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second' "
                    + "FROM generate_series(1, " + ROWS + ") g");
        }
    }

    @AfterAll
    static void drop() {
        if (source != null) {
            source.close();
        }
    }

    /** Where the process is killed, as route steps placed before or after the write of a batch. */
    enum KillPoint {
        DURING_READ("""
                        - filter:
                            simple: "${header.CaravanBatchIndex} == 45"
                            steps: [{log: "CARAVAN-CRASH-POINT"}, {delay: {constant: 600000}}]
                """, ""),
        DURING_WRITE("", """
                        - filter:
                            simple: "${header.CaravanBatchIndex} >= 45 && ${header.CaravanDurable} == false"
                            steps: [{log: "CARAVAN-CRASH-POINT"}, {delay: {constant: 600000}}]
                """),
        AFTER_PUBLISH_BEFORE_STATE_COMMIT("", """
                        - filter:
                            simple: "${header.CaravanBatchIndex} >= 45 && ${header.CaravanDurable} == true"
                            steps: [{log: "CARAVAN-CRASH-POINT"}, {delay: {constant: 600000}}]
                """);

        final String before;
        final String after;

        KillPoint(String before, String after) {
            this.before = before;
            this.after = after;
        }
    }

    static Stream<Arguments> cases() {
        if (System.getProperty("crash.only") != null) {
            return Stream.of(Arguments.of(System.getProperty("crash.only").split(":")[0], KillPoint.valueOf(System.getProperty("crash.only").split(":")[1])));
        }
        return Stream.of("h2", "postgresql").flatMap(store -> Stream.of(KillPoint.values()).map(point -> Arguments.of(store, point)));
    }

    private static final String INCREMENTAL = "syncMode: incremental_append, cursorField: updated_at, primaryKey: id";

    private static String route(String before, String after) {
        return route(INCREMENTAL, before, after);
    }

    private static String route(String mode, String before, String after) {
        return """
                - route:
                    id: crash.t
                    group: crash
                    from:
                      uri: caravan-source:crash/public.t
                      parameters: {source: pg, %s, batchSize: 10000}
                      steps:
                %s        - to: {uri: caravan-parquet:lake}
                %s""".formatted(mode, before, after);
    }

    /** Applies source pg (the seeded table), the local lake and connection crash, whose routes the test writes itself. */
    private static void applyCrashConnection(HttpJson api, Path lake) {
        HttpJson.Response applied = api.postYaml("/apply", """
                sources: [{name: pg, connector: postgres, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres, schemas: public}}]
                destinations: [{name: lake, connector: local, config: {path: "%s", file_size_mb: 2}}]
                connections: [{name: crash, source: pg, destination: lake, routes: hand_written}]
                """.formatted(source.port(), source.database(), lake));
        assertThat(applied.status()).as(applied.text()).isEqualTo(200);
    }

    /** Starts a sync of connection "crash" once its route is loaded; the job as answered. */
    static JsonNode startSync(HttpJson api) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            HttpJson.Response response = api.post("/connections/sync", "{\"connection\":\"crash\"}");
            if (response.status() == 202) {
                return response.json();
            }
            assertThat(System.currentTimeMillis()).as("the route loads: %s", response.text()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @ParameterizedTest(name = "state store {0}, killed {1}")
    @MethodSource("cases")
    void everyRowLandsExactlyOnceAfterAKill(String store, KillPoint point) throws Exception {
        TestingPostgres state = store.equals("postgresql") ? new TestingPostgres() : null;
        String stateUrl = state == null ? null : state.jdbcUrl() + "?user=postgres";
        Path lake = home.resolve("lake");
        Path routeFile = home.resolve("camel-routes/crash.yaml");
        try {
            try (TestingProcess first = new TestingProcess(home, stateUrl)) {
                HttpJson api = new HttpJson(first.apiUrl());
                applyCrashConnection(api, lake);
                Files.writeString(routeFile, route(point.before, point.after));
                startSync(api);
                first.awaitLine("CARAVAN-CRASH-POINT", Duration.ofSeconds(120));
                first.kill();
            }
            Files.writeString(routeFile, route("", ""));
            try (TestingProcess second = new TestingProcess(home, stateUrl); ParquetQuery duck = new ParquetQuery()) {
                HttpJson api = new HttpJson(second.apiUrl());
                JsonNode killed = api.get("/jobs?connection=crash").json().get("jobs").get(0);
                assertThat(killed.get("status").asText()).isEqualTo("interrupted");
                // the history keeps what the killed job's committed checkpoints wrote (the kill came after batch 45 of 10,000 rows)
                assertThat(killed.get("records").asLong()).as("records the killed job committed: %s", killed).isPositive();
                assertThat(killed.get("bytes").asLong()).isPositive();
                assertThat(killed.get("streams")).as("the killed job's streams").singleElement().satisfies(stream -> {
                    assertThat(stream.get("stream").asText()).isEqualTo("public.t");
                    assertThat(stream.get("status").asText()).isEqualTo("interrupted");
                    assertThat(stream.get("records").asLong()).isEqualTo(killed.get("records").asLong());
                    assertThat(stream.get("bytes").asLong()).isEqualTo(killed.get("bytes").asLong());
                    assertThat(stream.get("files").asInt()).isPositive();
                });
                long id = startSync(api).get("id").asLong();
                assertThat(id).as("job ids do not jump after a kill").isEqualTo(killed.get("id").asLong() + 1);
                JsonNode done = awaitJob(api, id);
                assertThat(done.get("records").asLong()).as("the resumed job reads only what was not committed").isLessThan(ROWS);
                assertThat(killed.get("records").asLong() + done.get("records").asLong()).as("the two jobs' recorded records").isEqualTo(ROWS);
                assertThat(killed.get("streams").get(0).get("files").asInt() + done.get("streams").get(0).get("files").asInt())
                        .as("the two jobs' recorded files are the files in the lake").isEqualTo(ParquetFilesIn.count(lake.resolve("raw/public.t")));

                try (Stream<Path> files = Files.walk(lake)) {
                    assertThat(files).as("no publish marker is left once the job committed").noneMatch(f -> f.endsWith("publishing.json"));
                }
                Path output = lake.resolve("raw/public.t");
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(output))).as("rows").isEqualTo(ROWS);
                assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output))).as("distinct ids").isEqualTo(ROWS);
                assertThat(duck.count("SELECT sum(id) FROM " + ParquetQuery.files(output))).isEqualTo((long) ROWS * (ROWS + 1) / 2);
            }
        } finally {
            if (state != null) {
                state.close();
            }
        }
    }

    /** Rows in the stream's published files once the restarted server recovered the lake: what the killed run made durable. */
    private static long durableRows(ParquetQuery duck, Path output) throws Exception {
        return Files.exists(output) && ParquetFilesIn.count(output) > 0 ? duck.count("SELECT count(*) FROM " + ParquetQuery.files(output)) : 0;
    }

    /** The Parquet data files under a stream's folder. */
    private static final class ParquetFilesIn {
        static int count(Path folder) throws java.io.IOException {
            try (Stream<Path> files = Files.walk(folder)) {
                return (int) files.filter(f -> f.getFileName().toString().endsWith(".parquet")).count();
            }
        }
    }

    /**
     * A full refresh append killed while writing a file: with a primary key the next run continues after the last
     * durable checkpoint (it reads only the rest) and the lake holds exactly the table; without one it reads everything
     * again and the killed run's staged files are gone. A completed run clears the checkpoint: the run after it reads
     * the whole table again, as a new copy beside the first.
     */
    @ParameterizedTest(name = "full refresh append, primary key {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void fullRefreshAppendResumesWithAKeyAndRestartsWithout(boolean withKey) throws Exception {
        Path lake = home.resolve("lake");
        Path routeFile = home.resolve("camel-routes/crash.yaml");
        String mode = "syncMode: full_refresh_append" + (withKey ? ", primaryKey: id" : "");
        killWhileWriting(mode, lake, routeFile);
        try (TestingProcess second = new TestingProcess(home, null); ParquetQuery duck = new ParquetQuery()) {
            HttpJson api = new HttpJson(second.apiUrl());
            assertThat(api.get("/jobs?connection=crash").json().get("jobs").get(0).get("status").asText()).isEqualTo("interrupted");
            Path output = lake.resolve("raw/public.t");
            long durable = durableRows(duck, output);
            JsonNode resumed = awaitJob(api, startSync(api).get("id").asLong());
            if (withKey) {
                assertThat(durable).as("rows the killed run made durable").isPositive();
                assertThat(resumed.get("records").asLong()).as("the resumed run reads only what was not durable: %s", resumed)
                        .isEqualTo(ROWS - durable);
            } else {
                assertThat(resumed.get("records").asLong()).as("without a key the run restarts from zero: %s", resumed).isEqualTo(ROWS);
            }
            assertExactlyTheTable(duck, output, 1);

            JsonNode again = awaitJob(api, startSync(api).get("id").asLong());
            assertThat(again.get("records").asLong()).as("a completed run cleared the checkpoint: %s", again).isEqualTo(ROWS);
            assertExactlyTheTable(duck, output, 2);
        }
    }

    /**
     * A full refresh append read as 4 key ranges in parallel (split reads), killed while writing a file: the restarted
     * server resumes every range after its own last durable key (reading only the rest), and the lake holds exactly the
     * table.
     */
    @org.junit.jupiter.api.Test
    void aSplitReadKilledMidWriteResumesEveryRangeAndLandsEveryRowOnce() throws Exception {
        Path lake = home.resolve("lake");
        Path routeFile = home.resolve("camel-routes/crash.yaml");
        List<String> killed = killWhileWriting("syncMode: full_refresh_append, primaryKey: id, splitReads: 4", lake, routeFile);
        assertThat(String.join("\n", killed)).contains("split read of id in 4 ranges");
        try (TestingProcess second = new TestingProcess(home, null); ParquetQuery duck = new ParquetQuery()) {
            HttpJson api = new HttpJson(second.apiUrl());
            assertThat(api.get("/jobs?connection=crash").json().get("jobs").get(0).get("status").asText()).isEqualTo("interrupted");
            long durable = durableRows(duck, lake.resolve("raw/public.t"));
            JsonNode resumed = awaitJob(api, startSync(api).get("id").asLong());
            assertThat(second.awaitLine("resuming a split read of id in 4 ranges", Duration.ofSeconds(5))).contains("ranges at [");
            assertThat(durable).as("rows the killed run made durable").isPositive();
            assertThat(resumed.get("records").asLong()).as("the resumed run reads only what was not durable: %s", resumed)
                    .isEqualTo(ROWS - durable);
            assertExactlyTheTable(duck, lake.resolve("raw/public.t"), 1);
        }
    }

    /**
     * Runs the sync of connection crash in a first server process with {@code mode}, kills it (SIGKILL) while it writes a
     * file after batch 45, and leaves the route without kill point for the next process; the killed process's output.
     */
    private List<String> killWhileWriting(String mode, Path lake, Path routeFile) throws Exception {
        List<String> output;
        try (TestingProcess first = new TestingProcess(home, null)) {
            HttpJson api = new HttpJson(first.apiUrl());
            applyCrashConnection(api, lake);
            Files.writeString(routeFile, route(mode, "", KillPoint.DURING_WRITE.after));
            startSync(api);
            first.awaitLine("CARAVAN-CRASH-POINT", Duration.ofSeconds(120));
            output = first.output();
            first.kill();
        }
        Files.writeString(routeFile, route(mode, "", ""));
        return output;
    }

    /**
     * A keyed full refresh overwrite killed in its second run: its files are published into the new generation's directory
     * as it goes, and the kill comes after a file was published and before its checkpoint was committed. When the server
     * starts again, before any sync, the stream's {@code current.json} still names the first generation and a reader
     * following it sees exactly the table; the interrupted publish was rolled back at startup (no {@code publishing.json}).
     * The next sync continues the generation after the last committed checkpoint, reading only the rest, and readers then
     * see exactly the table in the new generation. (Keyless overwrites publish nothing before they complete and restart
     * from zero: OverwriteReadersTest, S3SyncModesTest.)
     */
    @org.junit.jupiter.api.Test
    void aKeyedFullRefreshOverwriteKilledMidPublishKeepsReadersOnTheOldTableAndResumesItsGeneration() throws Exception {
        Path lake = home.resolve("lake");
        Path routeFile = home.resolve("camel-routes/crash.yaml");
        String mode = "syncMode: full_refresh_overwrite, primaryKey: id";
        Path journal = lake.resolve("_airbyte_internal/state/public.t/publishing.json");
        long killedRecords;
        try (TestingProcess first = new TestingProcess(home, null)) {
            HttpJson api = new HttpJson(first.apiUrl());
            applyCrashConnection(api, lake);
            Files.writeString(routeFile, route(mode, "", ""));
            awaitJob(api, startSync(api).get("id").asLong());
            assertThat(currentGeneration(lake)).isEqualTo(1);
        }
        // a new process, so that the sync surely runs the route with the kill point
        Files.writeString(routeFile, route(mode, "", KillPoint.AFTER_PUBLISH_BEFORE_STATE_COMMIT.after));
        try (TestingProcess first = new TestingProcess(home, null)) {
            startSync(new HttpJson(first.apiUrl()));
            first.awaitLine("CARAVAN-CRASH-POINT", Duration.ofSeconds(120));
            assertThat(journal).as("killed between publishing a file and committing its checkpoint").exists();
            first.kill();
        }
        Files.writeString(routeFile, route(mode, "", ""));
        try (TestingProcess second = new TestingProcess(home, null); ParquetQuery duck = new ParquetQuery()) {
            HttpJson api = new HttpJson(second.apiUrl());
            JsonNode killed = api.get("/jobs?connection=crash").json().get("jobs").get(0);
            assertThat(killed.get("status").asText()).isEqualTo("interrupted");
            killedRecords = killed.get("records").asLong();
            // server started, no sync yet
            assertThat(journal).as("the interrupted publish was settled when the server started").doesNotExist();
            assertThat(currentGeneration(lake)).as("readers still see the first generation").isEqualTo(1);
            assertExactlyTheTable(duck, lake.resolve("raw/public.t/generation=1"), 1);
            Path partial = lake.resolve("raw/public.t/generation=2");
            assertThat(killedRecords).as("checkpoints of the killed run were committed: %s", killed).isPositive();
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(partial))).as("the new generation keeps exactly the"
                    + " rows whose checkpoint was committed (the file published after it was rolled back)").isEqualTo(killedRecords);

            JsonNode resumed = awaitJob(api, startSync(api).get("id").asLong());
            assertThat(resumed.get("records").asLong()).as("the resumed run reads only the rest: %s", resumed).isEqualTo(ROWS - killedRecords);
            assertThat(currentGeneration(lake)).isEqualTo(2);
            assertExactlyTheTable(duck, partial, 1);
            JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    lake.resolve("_airbyte_internal/state/public.t/jobs/job-" + resumed.get("id").asLong() + ".json").toFile());
            assertThat(manifest.get("generationFiles").size()).as("the manifest names the whole generation")
                    .isEqualTo(ParquetFilesIn.count(partial));
        }
    }

    private static long currentGeneration(Path lake) throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(lake.resolve("_airbyte_internal/state/public.t/current.json").toFile())
                .get("generation").asLong();
    }

    /** Waits (2 min at most) for job {@code id} to end and checks it succeeded; the job. */
    static JsonNode awaitJob(HttpJson api, long id) throws Exception {
        JsonNode done;
        long deadline = System.currentTimeMillis() + 120_000;
        do {
            Thread.sleep(200);
            done = api.get("/jobs/" + id).json();
        } while (done.get("status").asText().equals("running") && System.currentTimeMillis() < deadline);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        return done;
    }

    /** {@code copies} copies of the source table: count, distinct ids, and a checksum over every column. */
    private static void assertExactlyTheTable(ParquetQuery duck, Path output, int copies) throws Exception {
        String files = ParquetQuery.files(output);
        assertThat(duck.count("SELECT count(*) FROM " + files)).as("rows").isEqualTo((long) ROWS * copies);
        assertThat(duck.count("SELECT count(DISTINCT id) FROM " + files)).as("distinct ids").isEqualTo(ROWS);
        assertThat(duck.count("SELECT count(*) FROM (SELECT id FROM " + files + " GROUP BY id HAVING count(*) <> " + copies + ")"))
                .as("ids not present exactly %d times", copies).isZero();
        assertThat(duck.count("SELECT (sum(id) + sum(length(name)) + sum(CAST(amount * 100 AS BIGINT)) + sum(CAST(epoch(updated_at) AS BIGINT)))"
                + " :: BIGINT FROM " + files)).as("checksum over every column").isEqualTo(tableChecksum() * copies);
    }

    /** The same checksum computed by PostgreSQL over the source table. */
    private static long tableChecksum() throws Exception {
        try (Connection c = source.connect(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT (sum(id) + sum(length(name)) + sum((amount * 100)::bigint)"
                     + " + sum(extract(epoch FROM updated_at)::bigint))::bigint FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
