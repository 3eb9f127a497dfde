package dev.caravan.bench;

import dev.caravan.destination.parquet.ParquetFormat;
import dev.caravan.destination.parquet.ParquetStreamWriter;
import dev.caravan.destination.parquet.LocalLakeStorage;
import dev.caravan.source.jdbc.mysql.MySqlSource;
import dev.caravan.source.jdbc.postgres.PostgresSource;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite: CPU time (of the calling thread, so that other load on shared cores matters less than for wall
 * time) of the two halves of a copy of bench/run.sh's table t: the postgres and mariadb readers alone (need bench/run.sh's
 * caravan_bench databases) and the Parquet writer alone on equivalent rows. Run:
 * {@code mvn -q test -Dtest=CopyCpuBench -Dsurefire.failIfNoSpecifiedTests=false}; prints {@code CPU ...} lines.
 */
class CopyCpuBench {
    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void writer(@TempDir Path lake) {
        Schema schema = new Schema(List.of(Field.nullable("id", FieldType.INT64), Field.nullable("name", FieldType.STRING),
                Field.nullable("amount", FieldType.decimal(12, 2)), Field.nullable("updated_at", FieldType.TIMESTAMP)));
        List<List<Object[]>> batches = new ArrayList<>();
        for (int b = 0; b < ROWS / 10_000; b++) {
            List<Object[]> rows = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                long id = b * 10_000L + i + 1;
                rows.add(new Object[] {id, "name " + Long.toHexString(id * 0x9E3779B97F4A7C15L) + Long.toHexString(id * 31),
                        BigDecimal.valueOf(id % 1_000_000, 2), LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(id)});
            }
            batches.add(rows);
        }
        for (int run = 1; run <= RUNS; run++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long processCpu = processCpu();
            long wall = System.nanoTime();
            WriteRequest request = new WriteRequest("bench", "t", "", "", SyncMode.FULL_REFRESH_OVERWRITE, schema, List.of("id"), run, 1, run,
                    Instant.now());
            try (StreamWriter writer = ParquetStreamWriter.open(new LocalLakeStorage(lake), ParquetFormat.DEFAULT, request)) {
                for (List<Object[]> rows : batches) {
                    writer.write(new RecordBatch(schema, rows, Map.of()));
                }
                writer.commit();
            }
            report("writer", run, cpu, wall, processCpu);
        }
    }

    @Test
    void postgresReader() {
        readerRuns("postgres", new PostgresSource(), Map.of("host", "127.0.0.1", "database", "caravan_bench", "username", "postgres",
                "ssl_mode", "disable"), "public.t");
    }

    @Test
    void mariadbReader() {
        readerRuns("mariadb", new MySqlSource(), Map.of("host", "127.0.0.1", "database", "caravan_bench", "username", "root"),
                "caravan_bench.t");
    }

    private static void readerRuns(String what, SourceConnector source, Map<String, Object> settings, String stream) {
        ConnectorConfig config = source.spec().validate(settings, "");
        for (int run = 1; run <= RUNS; run++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long processCpu = processCpu();
            long wall = System.nanoTime();
            long rows = 0;
            try (StreamReader reader = source.read(config, new ReadRequest(stream, List.of(), SyncMode.FULL_REFRESH_OVERWRITE, null,
                    List.of(), Map.of(), 10_000))) {
                RecordBatch batch;
                while ((batch = reader.next()) != null) {
                    rows += batch.size();
                }
            }
            report(what + " reader (" + rows + " rows)", run, cpu, wall, processCpu);
        }
    }

    private static void report(String what, int run, long cpuStart, long wallStart, long processCpuStart) {
        System.out.printf("CPU %s run %d: %.3f s CPU of the calling thread, %.3f s CPU of the process, %.3f s wall%n", what, run,
                (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9, (processCpu() - processCpuStart) / 1e9, (System.nanoTime() - wallStart) / 1e9);
    }

    /** CPU time of the whole process: the writer encodes large streams on worker threads too. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
