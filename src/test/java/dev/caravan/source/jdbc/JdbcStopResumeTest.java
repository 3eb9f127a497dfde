package dev.caravan.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.sync.StreamState;
import dev.caravan.testing.FaultStep;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingMariaDb;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mandatory stop/resume test for the JDBC sources: an incremental sync of 200,000 rows (cursor values shared by 100
 * rows each) is interrupted mid-stream by a fault injected in its route, then resumed; every source row must be in the
 * output exactly once, for PostgreSQL and for MariaDB.
 */
class JdbcStopResumeTest {
    private static final int ROWS = 200_000;

    @Test
    void postgresResumesWithoutLossOrDuplicates(@TempDir Path home) throws Exception {
        try (TestingPostgres pg = new TestingPostgres()) {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE big (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, amount numeric(12,2), note text)");
                s.execute("INSERT INTO big SELECT i, timestamptz '2024-01-01 00:00:00+00' + (i / 100) * interval '1 second', i / 100.0, "
                        + "'note ' || i FROM generate_series(1, " + ROWS + ") i");
            }
            String url = pg.jdbcUrl();
            String rest = url.substring("jdbc:postgresql://127.0.0.1:".length());
            String source = "{name: db, connector: postgres, config: {host: 127.0.0.1, port: %s, database: %s, username: postgres}}"
                    .formatted(rest.substring(0, rest.indexOf('/')), rest.substring(rest.indexOf('/') + 1));
            interruptAndResume(home, source, "public.big");
        }
    }

    @Test
    void mariaDbResumesWithoutLossOrDuplicates(@TempDir Path home) throws Exception {
        try (TestingMariaDb maria = new TestingMariaDb()) {
            try (Connection c = maria.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE big (id BIGINT PRIMARY KEY, updated_at TIMESTAMP(6) NOT NULL, amount DECIMAL(12,2), note TEXT)");
                s.execute("SET time_zone = '+00:00'");
                s.execute("INSERT INTO big SELECT seq, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (seq DIV 100) SECOND, seq / 100.0, "
                        + "CONCAT('note ', seq) FROM seq_1_to_" + ROWS);
            }
            String source = "{name: db, connector: mysql, config: {host: 127.0.0.1, port: %d, database: %s, username: root}}"
                    .formatted(maria.port(), maria.database());
            interruptAndResume(home, source, maria.database() + ".big");
        }
    }

    private static String route(String stream, boolean faulty) {
        String fault = FaultStep.onBatch(55, faulty);
        return """
                - route:
                    id: resume.big
                    group: resume
                    from:
                      uri: "caravan-source:resume/%s"
                      parameters: {source: db, syncMode: incremental_append, cursorField: updated_at, primaryKey: id, batchSize: 1000}
                      steps:
                %s        - to: {uri: caravan-parquet:lake, parameters: {namespace: resume}}
                """.formatted(stream, fault);
    }

    private static void interruptAndResume(Path home, String source, String stream) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            testing.server().apply("sources:\n  - " + source + "\n" + JdbcTesting.lakeDestination(lake)
                    + "connections:\n  - {name: resume, source: db, destination: lake, routes: hand_written}\n", "setup.yaml");
            Path file = testing.routes().resolve("resume.yaml");
            Files.writeString(file, route(stream, true));
            testing.awaitStartedRoute("resume.big", null);

            JobRecord failed = testing.server().syncNow("resume").orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.errorMessage()).contains("injected fault");
            StreamState committed = testing.server().states().load("resume", stream).orElseThrow();
            // 100 rows share each cursor value: the state lists the keys read at its cursor value, the highest last
            List<?> keysAtCursor = (List<?>) committed.state().get("keys_at_cursor");
            long committedId = ((Number) ((List<?>) keysAtCursor.get(keysAtCursor.size() - 1)).get(0)).longValue();
            Path output = lake.resolve("raw/resume/" + stream);
            long published = duck.count("SELECT count(*) FROM " + ParquetQuery.files(output));
            assertThat(committedId).as("some files were rolled and committed before the fault").isPositive().isLessThanOrEqualTo(55_000);
            assertThat(published).as("published rows are exactly the committed ones").isEqualTo(committedId);
            assertThat(duck.count("SELECT max(id) FROM " + ParquetQuery.files(output))).isEqualTo(committedId);

            org.apache.camel.Route faulty = testing.server().camelContext().getRoute("resume.big");
            Files.writeString(file, route(stream, false));
            testing.awaitStartedRoute("resume.big", faulty);
            JobRecord resumed = testing.server().syncNow("resume").orElseThrow();
            assertThat(resumed.status()).as(resumed.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(resumed.records()).isEqualTo(ROWS - committedId);
            assertThat(resumed.streams().get(0).startState()).isEqualTo(committed.state());

            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);
            assertThat(duck.rows("SELECT min(id) AS lo, max(id) AS hi, sum(amount) AS total FROM " + ParquetQuery.files(output)).get(0))
                    .isEqualTo(Map.of("lo", 1L, "hi", (long) ROWS, "total", new java.math.BigDecimal("200001000.00")));
        }
    }
}
