package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import dev.caravan.spi.WriteSummary;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large stream encoded on several lanes: every row lands once, rolls stay durable, failures on encoder threads surface. */
class ParallelEncodingTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING),
            Field.nullable("amount", FieldType.decimal(12, 2)), Field.nullable("at", FieldType.TIMESTAMP_TZ)));
    private static final int BATCH = 10_000;
    private static final int ROWS = 400_000;

    @TempDir
    Path dir;
    private TestingLake lake;

    @BeforeEach
    void setUp() {
        lake = new TestingLake(dir);
    }

    @Test
    void aLargeFullRefreshIsEncodedIntoOneFilePerThreadAndEveryRowLandsOnce() throws Exception {
        WriteSummary summary;
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT.withEncodingThreads(3), request(1, SyncMode.FULL_REFRESH_OVERWRITE))) {
            for (long first = 0; first < ROWS; first += BATCH) {
                assertThat(writer.write(batch(first, BATCH))).isFalse();
            }
            summary = writer.commit();
        }
        assertThat(summary.records()).isEqualTo(ROWS);
        assertThat(summary.files()).as("one file per lane, the first alone until %d rows", ParquetStreamWriter.PARALLEL_AFTER_ROWS)
                .hasSize(3);
        assertEveryRowOnce(ROWS);
    }

    @Test
    void oneThreadWritesOneFile() throws Exception {
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT.withEncodingThreads(1), request(1, SyncMode.FULL_REFRESH_APPEND))) {
            for (long first = 0; first < ROWS; first += BATCH) {
                writer.write(batch(first, BATCH));
            }
            assertThat(writer.commit().files()).hasSize(1);
        }
        assertEveryRowOnce(ROWS);
    }

    @Test
    void anIncrementalRollPublishesEveryLaneWithTheBatchThatTriggeredIt() throws Exception {
        ParquetFormat smallFiles = new ParquetFormat(CompressionCodecName.SNAPPY, ParquetFormat.MB, ParquetFormat.MB).withEncodingThreads(2);
        int durableAfterParallel = 0;
        try (ParquetStreamWriter writer = lake.open(smallFiles, request(1, SyncMode.INCREMENTAL_APPEND))) {
            long written = 0;
            while (written < ROWS) {
                boolean durable = writer.write(batch(written, BATCH));
                written += BATCH;
                if (durable) {
                    assertThat(lake.stagedFiles()).as("a durable batch leaves nothing staged").isEmpty();
                    assertThat(countRows()).as("every row written so far is readable").isEqualTo(written);
                    if (written > ParquetStreamWriter.PARALLEL_AFTER_ROWS + 2L * BATCH) {
                        durableAfterParallel++;
                    }
                }
            }
            assertThat(durableAfterParallel).as("rolls while two lanes were open").isPositive();
            assertThat(writer.commit().records()).isEqualTo(ROWS);
        }
        assertEveryRowOnce(ROWS);
    }

    @Test
    void aBatchThatFailsOnAnEncoderThreadFailsTheWriterAndPublishesNothing() throws Exception {
        try (ParquetStreamWriter earlier = lake.open(ParquetFormat.DEFAULT, request(1, SyncMode.FULL_REFRESH_APPEND))) {
            earlier.write(batch(0, 10));
            earlier.commit();
        }
        ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT.withEncodingThreads(2), request(2, SyncMode.FULL_REFRESH_OVERWRITE));
        for (long first = 0; first < ParquetStreamWriter.PARALLEL_AFTER_ROWS + BATCH; first += BATCH) {
            writer.write(batch(first, BATCH));
        }
        List<Object[]> broken = new ArrayList<>(batch(0, 5).rows());
        broken.set(3, new Object[] {1L, "a row one value short", BigDecimal.ONE});
        writer.write(TestingLake.batch(SCHEMA, broken)); // handed to a lane: fails there, later
        assertThatThrownBy(() -> {
            writer.write(batch(500_000, BATCH));
            writer.write(batch(600_000, BATCH));
            writer.commit();
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a row has 3 values but the stream's schema has 4 fields");
        assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("after an earlier error");
        writer.close();
        assertThat(lake.stagedFiles()).isEmpty();
        assertThat(countRows()).as("the earlier generation is untouched").isEqualTo(10);
    }

    @Test
    void aColumnWhoseDictionaryOverflowedIsWrittenPlainInTheNextFiles() throws Exception {
        ParquetFormat smallFiles = new ParquetFormat(CompressionCodecName.SNAPPY, 2 * ParquetFormat.MB, ParquetFormat.MB).withEncodingThreads(1);
        List<String> files;
        try (ParquetStreamWriter writer = lake.open(smallFiles, request(1, SyncMode.FULL_REFRESH_APPEND))) {
            for (long first = 0; first < ROWS; first += BATCH) {
                writer.write(batch(first, BATCH));
            }
            files = writer.commit().files();
            assertThat(writer.plainColumns()).as("unique ids, amounts and timestamps overflow a dictionary; 1,000 names do not")
                    .contains("id", "amount", "at").doesNotContain("name");
        }
        assertThat(files).hasSizeGreaterThan(2);
        for (String later : files.subList(1, files.size())) {
            assertThat(dictionaryPages(later, "id")).as("%s writes the ids plain", later).isFalse();
            assertThat(dictionaryPages(later, "name")).as("the 1,000 names still get a dictionary in %s", later).isTrue();
        }
        assertEveryRowOnce(ROWS);
    }

    /** Whether any row group of the file has a dictionary page for the column, read with parquet-java. */
    private boolean dictionaryPages(String key, String column) throws Exception {
        try (var reader = ParquetFiles.read(new LocalLakeStorage(dir).openInput(key))) {
            return reader.getFooter().getBlocks().stream().flatMap(b -> b.getColumns().stream())
                    .filter(c -> c.getPath().toDotString().equals(column))
                    .anyMatch(c -> c.getEncodingStats().hasDictionaryPages());
        }
    }

    private void assertEveryRowOnce(long rows) throws Exception {
        try (TestingDuckDb duck = new TestingDuckDb()) {
            List<Object> stats = duck.rows("select count(*), count(distinct id), min(id), max(id), sum(amount), count(distinct _airbyte_raw_id) from "
                    + TestingDuckDb.parquet(dir.resolve("raw/ns/orders"))).get(0);
            assertThat(((Number) stats.get(0)).longValue()).isEqualTo(rows);
            assertThat(((Number) stats.get(1)).longValue()).isEqualTo(rows);
            assertThat(((Number) stats.get(2)).longValue()).isZero();
            assertThat(((Number) stats.get(3)).longValue()).isEqualTo(rows - 1);
            assertThat(new BigDecimal(stats.get(4).toString())).isEqualByComparingTo(BigDecimal.valueOf(rows * (rows - 1) / 2, 2));
            assertThat(((Number) stats.get(5)).longValue()).isEqualTo(rows);
        }
    }

    private long countRows() throws Exception {
        try (TestingDuckDb duck = new TestingDuckDb()) {
            return duck.count(TestingDuckDb.parquet(dir.resolve("raw/ns/orders")));
        }
    }

    private static WriteRequest request(long jobId, SyncMode mode) {
        return new WriteRequest("conn", "orders", "ns", "", mode, SCHEMA, List.of("id"), jobId, 0, jobId, TestingLake.EXTRACTED_AT,
                Map.of("after", jobId));
    }

    private static RecordBatch batch(long firstId, int rows) {
        List<Object[]> list = new ArrayList<>(rows);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < rows; i++) {
            long id = firstId + i;
            list.add(new Object[] {id, "customer-" + (id % 1000), BigDecimal.valueOf(id, 2), base.plusSeconds(id)});
        }
        return TestingLake.batch(SCHEMA, list);
    }
}
