package dev.caravan.source.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.FaultStep;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingBinlogMariaDb;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop/resume test of mysql-cdc (postgres-cdc's is the SIGKILL one, CdcCrashRecoveryIT): a MariaDB transaction of
 * 60,000 inserts streamed from the binlog is interrupted mid-stream by a fault injected in the route, after some files
 * were committed; the next sync resumes inside the transaction, and every change is in the output exactly once.
 */
class CdcStopResumeTest {
    private static final int ROWS = 60_000;

    private static String route(String stream, boolean faulty) {
        return """
                - route:
                    id: resume.t
                    group: resume
                    from:
                      uri: "caravan-source:resume/%s"
                      parameters: {source: db, syncMode: incremental_append, cursorField: _ab_cdc_log_pos, primaryKey: id, batchSize: 1000}
                      steps:
                %s        - to: {uri: caravan-parquet:lake, parameters: {namespace: resume}}
                """.formatted(stream, FaultStep.onBatch(45, faulty));
    }

    @Test
    void aMariaDbTransactionInterruptedMidStreamResumesExactlyOnce(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingBinlogMariaDb maria = new TestingBinlogMariaDb(); TestingServer testing = new TestingServer(home);
             ParquetQuery duck = new ParquetQuery()) {
            maria.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, note VARCHAR(100), amount DECIMAL(12,2))");
            String stream = maria.database() + ".t";
            testing.server().apply("""
                    sources:
                      - {name: db, connector: mysql-cdc, config: {host: 127.0.0.1, port: %d, database: %s, username: root}}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s", file_size_mb: 1}}
                    connections:
                      - {name: resume, source: db, destination: lake, routes: hand_written}
                    """.formatted(maria.port(), maria.database(), lake), "setup.yaml");
            Path file = testing.routes().resolve("resume.yaml");
            Files.writeString(file, route(stream, false));
            testing.awaitStartedRoute("resume.t", null);
            JobRecord snapshot = testing.server().syncNow("resume").orElseThrow();
            assertThat(snapshot.status()).as(snapshot.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(snapshot.records()).isZero();

            maria.execute("INSERT INTO t SELECT seq, CONCAT('a note that makes the row longer ', seq), seq / 100 FROM seq_1_to_" + ROWS);
            org.apache.camel.Route before = testing.server().camelContext().getRoute("resume.t");
            Files.writeString(file, route(stream, true));
            testing.awaitStartedRoute("resume.t", before);
            JobRecord failed = testing.server().syncNow("resume").orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.errorMessage()).contains("injected fault");
            Path output = lake.resolve("raw/resume/" + stream);
            long committed = duck.count("SELECT count(*) FROM " + ParquetQuery.files(output));
            assertThat(committed).as("some files were rolled and committed before the fault").isPositive().isLessThan(ROWS);

            org.apache.camel.Route faulty = testing.server().camelContext().getRoute("resume.t");
            Files.writeString(file, route(stream, false));
            testing.awaitStartedRoute("resume.t", faulty);
            JobRecord resumed = testing.server().syncNow("resume").orElseThrow();
            assertThat(resumed.status()).as(resumed.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(resumed.records()).isEqualTo(ROWS - committed);
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);
            assertThat(duck.count("SELECT sum(id) FROM " + ParquetQuery.files(output))).isEqualTo((long) ROWS * (ROWS + 1) / 2);
        }
    }
}
