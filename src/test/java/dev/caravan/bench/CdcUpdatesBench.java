package dev.caravan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingLogicalPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite (run by bench/cdc.sh): a postgres-cdc connection through a running server into local Parquet
 * (incremental_append_deduped) on an embedded PostgreSQL with wal_level=logical: the initial snapshot of N rows, then
 * one transaction updating all N rows, streamed. Prints rows/s of the snapshot and events/s of the streamed updates, and
 * checks the raw history holds every event once.
 */
class CdcUpdatesBench {
    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);

    @Test
    void streamAMillionUpdates(@TempDir Path home) {
        Path lake = home.resolve("lake");
        try (TestingLogicalPostgres pg = new TestingLogicalPostgres(); TestingServer testing = new TestingServer(home);
             ParquetQuery duck = new ParquetQuery()) {
            pg.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, amount numeric(12,2), updated_at timestamp)",
                    "INSERT INTO t SELECT g, 'name ' || g, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second' "
                            + "FROM generate_series(1, " + ROWS + ") g");
            testing.server().apply("""
                    sources: [{name: pg, connector: postgres-cdc, config: {host: 127.0.0.1, port: %d, database: %s, username: postgres}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s"}}]
                    connections:
                      - name: bench
                        source: pg
                        destination: lake
                        streams: [{name: public.t, sync_mode: incremental_append_deduped, cursor_field: _ab_cdc_lsn, primary_key: [id]}]
                    """.formatted(pg.port(), pg.database(), lake), "bench.yaml");
            JobRecord snapshot = sync(testing);
            pg.execute("UPDATE t SET amount = amount + 1, updated_at = updated_at + interval '1 day'");
            JobRecord updates = sync(testing);
            assertThat(snapshot.records()).isEqualTo(ROWS);
            assertThat(updates.records()).isEqualTo(ROWS);
            assertThat(duck.count("SELECT count(DISTINCT _ab_cdc_lsn) FROM " + ParquetQuery.files(lake.resolve("raw/public.t"))
                    + " WHERE _ab_cdc_lsn > (SELECT min(_ab_cdc_lsn) FROM " + ParquetQuery.files(lake.resolve("raw/public.t")) + ")"))
                    .as("every streamed update once").isEqualTo(ROWS);
            report("snapshot", snapshot);
            report("updates", updates);
        }
    }

    private static JobRecord sync(TestingServer testing) {
        JobRecord job = testing.server().syncNow("bench").orElseThrow();
        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private static void report(String phase, JobRecord job) {
        long ms = Duration.between(job.startedAt(), job.endedAt()).toMillis();
        System.out.printf("BENCH cdc %-8s %,d events in %,d ms = %,d events/s (job incl. snapshot merge of the deduped output), %,d bytes%n",
                phase, job.records(), ms, job.records() * 1000 / Math.max(1, ms), job.bytes());
    }
}
