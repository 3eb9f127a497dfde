package dev.caravan.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.HttpJson;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingLogicalPostgres;
import dev.caravan.testing.TestingProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server, a separate process, streams 299,000 PostgreSQL changes (a 149,000-row insert and a 150,000-row update,
 * each one transaction) through postgres-cdc and is killed with SIGKILL right after a Parquet file was published and
 * before its checkpoint was committed (the hardest point: mid-transaction, data durable, offset not). Restarted, it
 * finishes the sync; DuckDB finds every change exactly once in the raw history and the deduplicated snapshot equal to
 * the table.
 */
class CdcCrashRecoveryIT {
    private static final String ROUTE = """
            - route:
                id: crash.t
                group: crash
                from:
                  uri: caravan-source:crash/public.t
                  parameters: {source: pg, syncMode: incremental_append_deduped, cursorField: _ab_cdc_lsn, primaryKey: id, batchSize: 1000}
                  steps:
                    - to: {uri: caravan-parquet:lake}
            %s""";
    private static final String KILL_AFTER_PUBLISH = """
                    - filter:
                        simple: "${header.CaravanBatchIndex} >= 100 && ${header.CaravanDurable} == true"
                        steps: [{log: "CARAVAN-CRASH-POINT"}, {delay: {constant: 600000}}]
            """;

    @TempDir
    Path home;

    @Test
    void everyChangeLandsExactlyOnceAfterAKillMidStream() throws Exception {
        try (TestingLogicalPostgres pg = new TestingLogicalPostgres()) {
            pg.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, amount numeric(12,2))",
                    "INSERT INTO t SELECT g, 'name ' || g, 0 FROM generate_series(1, 1000) g");
            Path lake = home.resolve("lake");
            Path routeFile = home.resolve("camel-routes/crash.yaml");
            try (TestingProcess first = new TestingProcess(home, null)) {
                HttpJson api = new HttpJson(first.apiUrl());
                HttpJson.Response applied = api.postYaml("/apply", """
                        sources: [{name: pg, connector: postgres-cdc, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres, idle_seconds: 2}}]
                        destinations: [{name: lake, connector: local, config: {path: "%s", file_size_mb: 2}}]
                        connections: [{name: crash, source: pg, destination: lake, routes: hand_written}]
                        """.formatted(pg.port(), pg.database(), lake));
                assertThat(applied.status()).as(applied.text()).isEqualTo(200);
                Files.writeString(routeFile, ROUTE.formatted(""));
                JsonNode snapshot = CrashRecoveryIT.awaitJob(api, CrashRecoveryIT.startSync(api).get("id").asLong());
                assertThat(snapshot.get("records").asLong()).isEqualTo(1000);

                pg.execute("INSERT INTO t SELECT g, 'name ' || g, 1 FROM generate_series(1001, 150000) g",
                        "UPDATE t SET amount = amount + 1");
                Files.writeString(routeFile, ROUTE.formatted(KILL_AFTER_PUBLISH));
                Thread.sleep(1000);
                CrashRecoveryIT.startSync(api);
                first.awaitLine("CARAVAN-CRASH-POINT", Duration.ofSeconds(120));
                first.kill();
            }
            Files.writeString(routeFile, ROUTE.formatted(""));
            try (TestingProcess second = new TestingProcess(home, null); ParquetQuery duck = new ParquetQuery()) {
                HttpJson api = new HttpJson(second.apiUrl());
                JsonNode killed = api.get("/jobs?connection=crash").json().get("jobs").get(0);
                assertThat(killed.get("status").asText()).isEqualTo("interrupted");
                JsonNode done = CrashRecoveryIT.awaitJob(api, CrashRecoveryIT.startSync(api).get("id").asLong());
                assertThat(killed.get("records").asLong() + done.get("records").asLong()).as("killed %s, resumed %s", killed, done)
                        .isEqualTo(299_000);
                String raw = ParquetQuery.files(lake.resolve("raw/public.t"));
                assertThat(duck.count("SELECT count(*) FROM " + raw)).as("changes in the raw history").isEqualTo(300_000);
                assertThat(duck.count("SELECT count(*) FROM (SELECT DISTINCT _ab_cdc_lsn, id FROM " + raw + ")")).as("distinct changes").isEqualTo(300_000);
                String deduped = ParquetQuery.files(lake.resolve("snapshot/public.t"));
                assertThat(duck.rows("SELECT count(*) AS n, sum(amount) AS total, count(DISTINCT id) AS ids FROM " + deduped).get(0).toString())
                        .isEqualTo("{n=150000, total=299000.00, ids=150000}");
            }
        }
    }
}
