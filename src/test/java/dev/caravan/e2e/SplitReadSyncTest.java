package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.spi.FullRefreshState;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingMariaDb;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Split reads end to end: a connection's stream with {@code split_reads: 4}, synced by the server with full refresh
 * overwrite and append from PostgreSQL and MariaDB, its Parquet read back with DuckDB: every row exactly once per run,
 * rows added below the lowest and above the highest key included. A run that fails in one range leaves the previous
 * output as readers see it; the next run resumes each range after its own key and the output has every row once.
 */
class SplitReadSyncTest {
    private static final int ROWS = 40_000;
    private static final int HALF = ROWS / 2;

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb"})
    void overwriteAndAppendWithSplitReadsDeliverEveryRowOncePerRun(String db, @TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (Database database = new Database(db); TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            database.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, v VARCHAR(40), amount DECIMAL(12,2))", database.fill("big", ROWS));
            testing.server().apply("sources:\n  - " + database.source() + "\n" + JdbcTesting.lakeDestination(lake) + """
                    connections:
                      - name: over
                        source: db
                        destination: lake
                        namespace: over
                        streams: [{name: "%1$s", sync_mode: full_refresh_overwrite, primary_key: [id], split_reads: 4}]
                      - name: app
                        source: db
                        destination: lake
                        namespace: app
                        streams: [{name: "%1$s", sync_mode: full_refresh_append, primary_key: [id], split_reads: "4"}]
                    """.formatted(database.stream("big")), "split.yaml");

            JobRecord first = JdbcTesting.sync(testing, "over");
            assertThat(first.records()).isEqualTo(ROWS);
            assertRows(duck, ParquetQuery.currentGeneration(lake, "over", database.stream("big")), 1, ROWS, 1, ROWS);
            // rows below the lowest and above the highest key of the last plan: the open first and last ranges hold them
            database.execute("INSERT INTO big VALUES (-30000, 'low', 1.00), (" + (10 * ROWS) + ", 'high', 2.00)");
            JdbcTesting.sync(testing, "over");
            assertRows(duck, ParquetQuery.currentGeneration(lake, "over", database.stream("big")), 1, ROWS + 2, 1, ROWS + 2);

            JdbcTesting.sync(testing, "app");
            JobRecord again = JdbcTesting.sync(testing, "app");
            assertThat(again.streams().get(0).endState()).as("a completed run clears the ranges")
                    .isEqualTo(FullRefreshState.inProgress(2, Map.of()));
            assertRows(duck, lake.resolve("raw/app/" + database.stream("big")), 2, ROWS + 2, 2, 2 * (ROWS + 2));
        }
    }

    @Test
    void aRangeFailingMidRunKeepsThePreviousOutputAndTheNextRunResumesEveryRange(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (Database database = new Database("postgres"); TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            database.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, v VARCHAR(40), amount DECIMAL(12,2))", database.fill("big", HALF),
                    "CREATE TABLE broken (id bigint)",
                    // declared immutable (it is not), so that queries not selecting v (the ranges' min and max) leave it out
                    "CREATE FUNCTION slowly(v text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(0.0008); RETURN v; END $$",
                    // fails on the row whose id is in broken, late in range 3 of 4 (ids 10001 to 15000), which is read slowly
                    // meanwhile (0.8 ms a row), so that files roll and checkpoints are committed before it fails
                    "CREATE VIEW v AS SELECT id, CASE WHEN id IN (SELECT id FROM broken) THEN (1 / (id - id))::text "
                            + "WHEN id > 10000 AND id <= 15000 AND EXISTS (SELECT 1 FROM broken) THEN slowly(v) ELSE v END AS v, amount FROM big",
                    // rows come in key order from the index as they are fetched (not sorted first), so the failure comes mid-range
                    "ALTER DATABASE " + database.pg.database() + " SET enable_sort = off");
            // a hand-written route: batches of 1000 rows, so that files (and checkpoints) are committed before the failure
            testing.server().apply("sources:\n  - " + database.source().replace("username: postgres", "username: postgres, fetch_size: 1000")
                    + "\n" + JdbcTesting.lakeDestination(lake).replace("file_size_mb: 1", "file_size_mb: 1, checkpoint_interval_seconds: 1")
                    + "connections:\n  - {name: over, source: db, destination: lake, namespace: over, routes: hand_written}\n", "split.yaml");
            Files.writeString(testing.routes().resolve("over.yaml"), """
                    - route:
                        id: over.v
                        group: over
                        from:
                          uri: caravan-source:over/public.v
                          parameters: {source: db, syncMode: full_refresh_overwrite, primaryKey: id, splitReads: 4, batchSize: 1000}
                          steps:
                            - to: {uri: caravan-parquet:lake, parameters: {namespace: over}}
                    """);
            testing.awaitStartedRoute("over.v", null);
            JdbcTesting.sync(testing, "over");

            database.execute("INSERT INTO broken VALUES (14500)", "UPDATE big SET amount = amount + 1");
            JobRecord failed = testing.server().syncNow("over").orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.errorMessage()).contains("range 3/4 (id from 10001 below 15001)").contains("division by zero");
            assertThat(duck.count("SELECT sum(amount) FROM " + ParquetQuery.files(ParquetQuery.currentGeneration(lake, "over", "public.v"))))
                    .as("readers still see the first run's output, whole").isEqualTo(sumOfAmounts(HALF));
            Map<String, Object> resumeAt = FullRefreshState.resumeAfter(failed.streams().get(0).endState());

            database.execute("DELETE FROM broken");
            JobRecord resumed = JdbcTesting.sync(testing, "over");
            assertThat(resumed.streams().get(0).startState()).isEqualTo(failed.streams().get(0).endState());
            assertThat(resumeAt).as("checkpoints of the failed run were committed").containsKey("ranges");
            assertThat(resumed.streams().get(0).warnings()).anySatisfy(w -> assertThat(w).contains("resumed an interrupted run"));
            assertThat(resumed.records()).as("rows the resumed run read").isLessThan(HALF);
            assertRows(duck, ParquetQuery.currentGeneration(lake, "over", "public.v"), 1, HALF, 1, HALF);
            assertThat(duck.count("SELECT sum(amount) FROM " + ParquetQuery.files(ParquetQuery.currentGeneration(lake, "over", "public.v"))))
                    .isEqualTo(sumOfAmounts(HALF) + HALF);
        }
    }

    /** Amounts of {@link Database#fill}: id / 100 for ids 1 to n, in whole units (DuckDB's sum of the decimals, truncated). */
    private static long sumOfAmounts(int n) {
        return new BigDecimal((long) n * (n + 1) / 2).movePointLeft(2).longValue();
    }

    private static void assertRows(ParquetQuery duck, Path directory, int copies, long distinct, long minCopies, long total) {
        String files = ParquetQuery.files(directory);
        assertThat(duck.count("SELECT count(*) FROM " + files)).isEqualTo(total);
        assertThat(duck.count("SELECT count(DISTINCT id) FROM " + files)).isEqualTo(distinct);
        assertThat(duck.count("SELECT count(*) FROM (SELECT id FROM " + files + " GROUP BY id HAVING count(*) <> " + copies + ")"))
                .as("ids not present exactly %d times (at least %d)", copies, minCopies).isZero();
    }

    /** A fresh PostgreSQL or MariaDB database and how a source names it. */
    private static final class Database implements AutoCloseable {
        private final TestingPostgres pg;
        private final TestingMariaDb maria;

        Database(String name) {
            pg = name.equals("postgres") ? new TestingPostgres() : null;
            maria = pg == null ? new TestingMariaDb() : null;
        }

        String source() {
            return pg != null
                    ? "{name: db, connector: postgres, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres}}".formatted(pg.port(), pg.database())
                    : "{name: db, connector: mysql, config: {host: 127.0.0.1, port: %d, database: %s, username: root}}".formatted(maria.port(), maria.database());
        }

        String stream(String table) {
            return (pg != null ? "public" : maria.database()) + "." + table;
        }

        /** Rows 1 to n: amount id / 100. */
        String fill(String table, int n) {
            return pg != null ? "INSERT INTO " + table + " SELECT i, 'row ' || i, i / 100.0 FROM generate_series(1, " + n + ") i"
                    : "INSERT INTO " + table + " SELECT seq, CONCAT('row ', seq), seq / 100 FROM seq_1_to_" + n;
        }

        void execute(String... sql) throws Exception {
            try (Connection c = pg != null ? pg.connect() : maria.connect(); Statement s = c.createStatement()) {
                for (String statement : sql) {
                    s.execute(statement);
                }
            }
        }

        @Override
        public void close() {
            if (pg != null) {
                pg.close();
            } else {
                maria.close();
            }
        }
    }
}
