package dev.caravan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.jdbc.JdbcTesting;
import dev.caravan.source.jdbc.postgres.PostgresSource;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.state.JobRecord;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingPostgres;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite (run by bench/jdbc-postgres.sh): a 1M-row PostgreSQL table read by the postgres connector alone,
 * then synced through a running server into local Parquet (full refresh overwrite). Prints rows/s of both.
 */
class PostgresFullRefreshBench {
    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);

    @Test
    void fullRefreshOfAMillionRows(@TempDir Path home) throws Exception {
        try (TestingPostgres pg = new TestingPostgres()) {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, amount numeric(12,2), "
                        + "created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, note varchar(100))");
                s.execute("INSERT INTO orders SELECT i, i % 10000, (ARRAY['new','paid','shipped','returned'])[1 + i % 4], (i % 100000) / 100.0, "
                        + "timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second', timestamptz '2024-06-01 00:00:00+00' + i * interval '1 second', "
                        + "'order note ' || i FROM generate_series(1, " + ROWS + ") i");
                s.execute("VACUUM ANALYZE orders");
            }
            String rest = pg.jdbcUrl().substring("jdbc:postgresql://127.0.0.1:".length());
            String port = rest.substring(0, rest.indexOf('/'));
            String database = rest.substring(rest.indexOf('/') + 1);

            PostgresSource source = new PostgresSource();
            ConnectorConfig config = source.spec().validate(Map.of("host", "127.0.0.1", "port", Integer.parseInt(port), "database", database,
                    "username", "postgres"), "");
            for (int run = 1; run <= 2; run++) {
                long start = System.nanoTime();
                long rows = 0;
                try (StreamReader reader = source.read(config, new ReadRequest("public.orders", List.of(), SyncMode.FULL_REFRESH_OVERWRITE,
                        null, List.of(), Map.of(), 10_000))) {
                    RecordBatch batch;
                    while ((batch = reader.next()) != null) {
                        rows += batch.size();
                    }
                }
                report("source only (run " + run + ")", rows, System.nanoTime() - start);
            }

            Path lake = home.resolve("lake");
            try (TestingServer server = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
                server.server().apply("""
                        sources:
                          - {name: pg, connector: postgres, config: {host: 127.0.0.1, port: %s, database: %s, username: postgres}}
                        destinations:
                          - {name: lake, connector: local, config: {path: "%s"}}
                        connections:
                          - {name: bench, source: pg, destination: lake, streams: [{name: public.orders, sync_mode: full_refresh_overwrite}]}
                        """.formatted(port, database, lake), "bench.yaml");
                for (int run = 1; run <= 2; run++) {
                    long start = System.nanoTime();
                    JobRecord job = JdbcTesting.sync(server, "bench");
                    report("through the server into Parquet (run " + run + ", " + job.bytes() / 1_000_000 + " MB)", job.records(),
                            System.nanoTime() - start);
                }
                assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/public.orders")))).isEqualTo(ROWS);
            }
        }
    }

    private static void report(String what, long rows, long nanos) {
        double seconds = nanos / 1e9;
        System.out.printf("BENCH postgres full refresh, %s: %d rows in %.2f s = %,d rows/s%n", what, rows, seconds, Math.round(rows / seconds));
        assertThat(rows).isEqualTo(ROWS);
        assertThat(Duration.ofNanos(nanos)).isLessThan(Duration.ofMinutes(5));
    }
}
