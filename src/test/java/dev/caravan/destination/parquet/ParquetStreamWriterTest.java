package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import dev.caravan.spi.WriteSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commit semantics of every sync mode, rolling, numbering, manifests and cleanup, read back with DuckDB. */
class ParquetStreamWriterTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING),
            Field.nullable("amount", FieldType.decimal(12, 2)), Field.nullable("at", FieldType.TIMESTAMP_TZ)));
    /** Smallest sizes so that a few hundred thousand rows roll several files. */
    private static final ParquetFormat SMALL_FILES = new ParquetFormat(CompressionCodecName.SNAPPY, ParquetFormat.MB, ParquetFormat.MB);
    private static final String DAY = "raw/ns/orders/2024/05/01/";

    @TempDir
    Path dir;
    private TestingLake lake;

    @BeforeEach
    void setUp() {
        lake = new TestingLake(dir);
    }

    @Test
    void fullRefreshAppendKeepsEarlierFilesAndPublishesOnlyOnCommit() throws Exception {
        commitJob(1, SyncMode.FULL_REFRESH_APPEND, 0, 10);
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request(2, SyncMode.FULL_REFRESH_APPEND))) {
            assertThat(writer.write(batch(10, 5))).isFalse();
            assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet");
            assertThat(lake.stagedFiles()).hasSize(1);
            assertThat(countRows()).isEqualTo(10);

            WriteSummary summary = writer.commit();
            assertThat(summary.records()).isEqualTo(5);
            assertThat(summary.files()).containsExactly(DAY + "data-002.parquet");
            assertThat(summary.bytes()).isEqualTo(Files.size(dir.resolve(DAY + "data-002.parquet")));
        }
        assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet", DAY + "data-002.parquet");
        assertThat(countRows()).isEqualTo(15);
        assertThat(lake.stagedFiles()).isEmpty();
    }

    @Test
    void fullRefreshOverwriteReplacesEarlierGenerationsOnlyOnCommit() throws Exception {
        commitJob(1, SyncMode.FULL_REFRESH_APPEND, 0, 10);
        commitJob(2, SyncMode.FULL_REFRESH_APPEND, 10, 10, Instant.parse("2024-04-30T23:00:00Z"));
        assertThat(countRows()).isEqualTo(20);

        try (ParquetStreamWriter writer = lake.open(SMALL_FILES.withOverwriteGracePeriod(Duration.ZERO), request(3, SyncMode.FULL_REFRESH_OVERWRITE))) {
            for (int b = 0; b < 30; b++) {
                assertThat(writer.write(batch(100 + b * 10_000L, 10_000))).isFalse();
            }
            assertThat(lake.stagedFiles()).hasSizeGreaterThan(1);
            assertThat(countRows()).as("the previous generation stays intact until commit").isEqualTo(20);

            WriteSummary summary = writer.commit();
            assertThat(summary.records()).isEqualTo(300_000);
            assertThat(summary.files()).hasSizeGreaterThan(1).allMatch(f -> f.startsWith("raw/ns/orders/generation=3/2024/05/01/"));
            assertThat(lake.dataFiles("orders")).containsExactlyElementsOf(summary.files());
        }
        assertThat(countRows()).isEqualTo(300_000);
        assertThat(lake.stagedFiles()).isEmpty();
        assertThat(dir.resolve("raw/ns/orders/2024/04")).as("emptied day directories are removed").doesNotExist();
    }

    @Test
    void overwriteLeavesOtherStreamsNestedUnderItsDirectoryAlone() throws Exception {
        commitJob(1, SyncMode.FULL_REFRESH_APPEND, 0, 10); // namespace ns, stream orders: raw/ns/orders/...
        WriteRequest nested = new WriteRequest("conn", "ns", "", "", SyncMode.FULL_REFRESH_OVERWRITE, SCHEMA, List.of(), 2, 0, 2,
                TestingLake.EXTRACTED_AT); // no namespace, stream "ns": raw/ns/...
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT.withOverwriteGracePeriod(Duration.ZERO), nested)) {
            writer.write(batch(0, 3));
            assertThat(writer.commit().files()).containsExactly("raw/ns/generation=2/2024/05/01/data-001.parquet");
        }
        assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet");
    }

    @Test
    void jobsWithoutRowsPublishNothingAndOverwriteEmptiesTheStream() throws Exception {
        commitJob(1, SyncMode.FULL_REFRESH_APPEND, 0, 10);
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request(2, SyncMode.FULL_REFRESH_APPEND))) {
            writer.write(batch(0, 0));
            assertThat(writer.commit()).isEqualTo(new WriteSummary(0, 0, List.of()));
        }
        assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet");

        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT.withOverwriteGracePeriod(Duration.ZERO), request(3, SyncMode.FULL_REFRESH_OVERWRITE))) {
            assertThat(writer.commit().files()).isEmpty();
        }
        assertThat(lake.dataFiles("orders")).isEmpty();
        assertThat(lake.files()).containsExactly("_airbyte_internal/state/ns/orders/current.json", "_airbyte_internal/state/ns/orders/jobs/job-1.json",
                "_airbyte_internal/state/ns/orders/jobs/job-2.json", "_airbyte_internal/state/ns/orders/jobs/job-3.json");
    }

    @Test
    void abortKeepsThePreviousOutputAndLeavesNothingStaged() throws Exception {
        commitJob(1, SyncMode.FULL_REFRESH_APPEND, 0, 10);
        List<String> before = lake.files();
        ParquetStreamWriter writer = lake.open(SMALL_FILES, request(2, SyncMode.FULL_REFRESH_OVERWRITE));
        for (int b = 0; b < 20; b++) {
            writer.write(batch(b * 10_000L, 10_000));
        }
        assertThat(lake.stagedFiles()).hasSizeGreaterThan(1);
        writer.abort();
        writer.abort();
        writer.close();

        assertThat(lake.files()).isEqualTo(before);
        assertThat(dir.resolve("_airbyte_internal/tmp")).doesNotExist();
        assertThat(countRows()).isEqualTo(10);
        assertThatThrownBy(() -> writer.write(batch(0, 1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("aborted");
        assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWithoutCommitAborts() throws Exception {
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request(1, SyncMode.INCREMENTAL_APPEND))) {
            writer.write(batch(0, 100));
        }
        assertThat(lake.files()).isEmpty();
    }

    @Test
    void incrementalWritePublishesRolledFilesAndSaysSo() throws Exception {
        try (ParquetStreamWriter writer = lake.open(SMALL_FILES, request(1, SyncMode.INCREMENTAL_APPEND_DEDUPED))) {
            long written = 0;
            boolean durable = false;
            while (!durable) {
                durable = writer.write(batch(written, 5_000));
                written += 5_000;
                assertThat(written).as("a 1 MiB file rolls long before this").isLessThan(1_000_000);
            }
            assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet");
            assertThat(lake.stagedFiles()).isEmpty();
            assertThat(countRows()).as("every row written so far is readable").isEqualTo(written);

            assertThat(writer.write(batch(written, 10))).isFalse();
            assertThat(countRows()).isEqualTo(written);
            assertThat(writer.write(batch(0, 0))).as("an empty batch adds nothing unpublished").isFalse();

            WriteSummary summary = writer.commit();
            assertThat(summary.records()).isEqualTo(written + 10);
            assertThat(summary.files()).containsExactly(DAY + "data-001.parquet", DAY + "data-002.parquet");
        }
        assertThat(countRows()).isGreaterThan(10);
    }

    @Test
    void abortAfterARollKeepsThePublishedFile() throws Exception {
        ParquetStreamWriter writer = lake.open(SMALL_FILES, request(1, SyncMode.INCREMENTAL_APPEND));
        long written = 0;
        while (!writer.write(batch(written, 5_000))) {
            written += 5_000;
        }
        written += 5_000;
        writer.write(batch(written, 10));
        writer.abort();
        assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet");
        assertThat(countRows()).isEqualTo(written);
        assertThat(lake.stagedFiles()).isEmpty();
    }

    @Test
    void rollingProducesSeveralFilesOfBoundedSize() throws Exception {
        int rows = 400_000;
        long started = System.nanoTime();
        WriteSummary summary;
        try (ParquetStreamWriter writer = lake.open(SMALL_FILES, request(1, SyncMode.FULL_REFRESH_APPEND))) {
            for (int b = 0; b < rows / 10_000; b++) {
                writer.write(batch(b * 10_000L, 10_000));
            }
            summary = writer.commit();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("wrote %,d rows (4 data + 4 metadata columns) into %d files, %,d bytes, in %.2f s: %,.0f rows/s%n",
                rows, summary.files().size(), summary.bytes(), seconds, rows / seconds);

        assertThat(summary.files()).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 0; i < summary.files().size(); i++) {
            assertThat(summary.files().get(i)).isEqualTo(DAY + "data-" + String.format("%03d", i + 1) + ".parquet");
            assertThat(Files.size(dir.resolve(summary.files().get(i)))).isLessThan(4 * ParquetFormat.MB);
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            List<Object> stats = duck.rows("select count(*), count(distinct id), min(id), max(id), sum(amount) from "
                    + TestingDuckDb.parquet(dir.resolve("raw"))).get(0);
            assertThat(stats.subList(0, 4)).containsExactly((long) rows, (long) rows, 0L, rows - 1L);
            assertThat(stats.get(4)).isEqualTo(expectedAmountSum(rows));
        }
    }

    @Test
    void fileNumbersContinueAfterTheHighestOfTheDay() throws Exception {
        commitJob(1, SyncMode.INCREMENTAL_APPEND, 0, 10);
        commitJob(2, SyncMode.INCREMENTAL_APPEND, 10, 10);
        assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet", DAY + "data-002.parquet");

        Files.move(dir.resolve(DAY + "data-002.parquet"), dir.resolve(DAY + "data-999.parquet"), StandardCopyOption.ATOMIC_MOVE);
        WriteSummary third = commitJob(3, SyncMode.INCREMENTAL_APPEND, 20, 10);
        assertThat(third.files()).containsExactly(DAY + "data-1000.parquet");
        WriteSummary fourth = commitJob(4, SyncMode.FULL_REFRESH_APPEND, 30, 10);
        assertThat(fourth.files()).containsExactly(DAY + "data-1001.parquet");
        WriteSummary nextDay = commitJob(5, SyncMode.INCREMENTAL_APPEND, 40, 10, Instant.parse("2024-05-02T00:00:00Z"));
        assertThat(nextDay.files()).containsExactly("raw/ns/orders/2024/05/02/data-001.parquet");
        assertThat(countRows()).isEqualTo(50);
    }

    @Test
    void commitWritesTheJobManifest() throws Exception {
        WriteRequest request = new WriteRequest("pg-to-lake", "orders", "ns", "", SyncMode.FULL_REFRESH_OVERWRITE, SCHEMA, List.of("id"),
                12, 3, 4, TestingLake.EXTRACTED_AT);
        WriteSummary summary;
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request)) {
            writer.write(batch(0, 25));
            summary = writer.commit();
            assertThat(writer.commit()).as("commit is idempotent").isSameAs(summary);
        }
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("_airbyte_internal/state/ns/orders/jobs/job-12.json").toFile());
        assertThat(manifest.get("connection").asText()).isEqualTo("pg-to-lake");
        assertThat(manifest.get("stream").asText()).isEqualTo("orders");
        assertThat(manifest.get("namespace").asText()).isEqualTo("ns");
        assertThat(manifest.get("syncMode").asText()).isEqualTo("full_refresh_overwrite");
        assertThat(manifest.get("jobId").asLong()).isEqualTo(12);
        assertThat(manifest.get("attempt").asInt()).isEqualTo(3);
        assertThat(manifest.get("generationId").asLong()).isEqualTo(4);
        assertThat(manifest.get("extractedAt").asText()).isEqualTo("2024-05-01T12:34:56.789Z");
        assertThat(manifest.get("records").asLong()).isEqualTo(25);
        assertThat(manifest.get("bytes").asLong()).isEqualTo(summary.bytes()).isPositive();
        assertThat(manifest.get("files").get(0).asText()).isEqualTo("raw/ns/orders/generation=4/2024/05/01/data-001.parquet");
        assertThat(manifest.get("files").size()).isEqualTo(1);
        assertThat(manifest.get("generationFiles")).as("overwrite: the whole generation").isEqualTo(manifest.get("files"));
    }

    @Test
    void openRemovesWhatACrashedJobOfTheSameStreamLeftStaged() throws Exception {
        Path scope = dir.resolve("_airbyte_internal/tmp/conn/ns/orders");
        Files.createDirectories(scope.resolve("nested"));
        Files.writeString(scope.resolve("data-001.parquet.1234.staged"), "left by a crash");
        Files.writeString(scope.resolve("nested/data-001.parquet.5678.staged"), "another stream's");
        Path otherConnection = dir.resolve("_airbyte_internal/tmp/other/ns/orders/data-001.parquet.9.staged");
        Files.createDirectories(otherConnection.getParent());
        Files.writeString(otherConnection, "another connection's");

        lake.open(ParquetFormat.DEFAULT, request(2, SyncMode.INCREMENTAL_APPEND)).close();

        assertThat(lake.stagedFiles()).containsExactly("_airbyte_internal/tmp/conn/ns/orders/nested/data-001.parquet.5678.staged",
                "_airbyte_internal/tmp/other/ns/orders/data-001.parquet.9.staged");
    }

    @Test
    void aFailedWriteFailsTheWriterAndAbortCleansUp() throws Exception {
        ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request(1, SyncMode.FULL_REFRESH_APPEND));
        writer.write(batch(0, 10));
        RecordBatch broken = TestingLake.batch(SCHEMA, List.<Object[]>of(new Object[] {1L, "too short"}));
        assertThatThrownBy(() -> writer.write(broken)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 values");
        assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
        writer.close();
        assertThat(lake.files()).isEmpty();
    }

    @Test
    void aBatchOfAnotherSchemaIsRejected() {
        ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request(1, SyncMode.FULL_REFRESH_APPEND));
        Schema other = new Schema(List.of(Field.nullable("id", FieldType.STRING)));
        assertThatThrownBy(() -> writer.write(TestingLake.batch(other, List.<Object[]>of(new Object[] {"1"}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
        writer.close();
        assertThat(lake.files()).isEmpty();
    }

    @Test
    void writeAfterCommitIsRejectedAndCloseIsHarmless() {
        ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request(1, SyncMode.INCREMENTAL_APPEND));
        writer.write(batch(0, 1));
        writer.commit();
        assertThatThrownBy(() -> writer.write(batch(1, 1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("committed");
        writer.abort();
        writer.close();
        assertThat(lake.dataFiles("orders")).containsExactly(DAY + "data-001.parquet");
    }

    @Test
    void aNestedNamespaceIsAPathOfDirectories() throws Exception {
        WriteRequest nested = new WriteRequest("conn", "orders", "shop/eu", "raw_", SyncMode.FULL_REFRESH_APPEND, SCHEMA, List.of(), 1, 0, 1, TestingLake.EXTRACTED_AT);
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, nested)) {
            writer.write(batch(1, 3));
            writer.commit();
        }
        assertThat(lake.files()).anyMatch(f -> f.startsWith("raw/shop/eu/raw_orders/") && f.endsWith("/data-001.parquet"));
    }

    @Test
    void namesThatAreNotDirectoryNamesAndReservedFieldsAreConfigErrors() {
        WriteRequest slash = new WriteRequest("conn", "a/b", "ns", "", SyncMode.FULL_REFRESH_APPEND, SCHEMA, List.of(), 1, 0, 1, TestingLake.EXTRACTED_AT);
        assertThatThrownBy(() -> lake.open(ParquetFormat.DEFAULT, slash)).isInstanceOfSatisfying(CaravanException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG)).hasMessageContaining("'a/b'").hasMessageContaining("Fix:");
        WriteRequest dots = new WriteRequest("conn", "orders", "..", "", SyncMode.FULL_REFRESH_APPEND, SCHEMA, List.of(), 1, 0, 1, TestingLake.EXTRACTED_AT);
        assertThatThrownBy(() -> lake.open(ParquetFormat.DEFAULT, dots)).isInstanceOf(CaravanException.class).hasMessageContaining("namespace segment '..'");
        WriteRequest nestedDots = new WriteRequest("conn", "orders", "eu/..", "", SyncMode.FULL_REFRESH_APPEND, SCHEMA, List.of(), 1, 0, 1, TestingLake.EXTRACTED_AT);
        assertThatThrownBy(() -> lake.open(ParquetFormat.DEFAULT, nestedDots)).isInstanceOf(CaravanException.class).hasMessageContaining("'..'");
        Schema reserved = new Schema(List.of(Field.nullable("_airbyte_meta", FieldType.STRING)));
        WriteRequest clash = new WriteRequest("conn", "orders", "ns", "", SyncMode.FULL_REFRESH_APPEND, reserved, List.of(), 1, 0, 1, TestingLake.EXTRACTED_AT);
        assertThatThrownBy(() -> lake.open(ParquetFormat.DEFAULT, clash)).isInstanceOfSatisfying(CaravanException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.CONFIG)).hasMessageContaining("_airbyte_meta").hasMessageContaining("Fix:");
    }

    @Test
    void prefixIsPrependedAndAnEmptyNamespaceDropsItsSegment() {
        WriteRequest request = new WriteRequest("conn", "orders", "", "pg_", SyncMode.INCREMENTAL_APPEND, SCHEMA, List.of(), 1, 0, 1, TestingLake.EXTRACTED_AT);
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request)) {
            writer.write(batch(0, 1));
            assertThat(writer.commit().files()).containsExactly("raw/pg_orders/2024/05/01/data-001.parquet");
        }
        assertThat(lake.files()).contains("_airbyte_internal/state/pg_orders/jobs/job-1.json");
    }

    private WriteSummary commitJob(long jobId, SyncMode mode, long firstId, int rows) {
        return commitJob(jobId, mode, firstId, rows, TestingLake.EXTRACTED_AT);
    }

    private WriteSummary commitJob(long jobId, SyncMode mode, long firstId, int rows, Instant extractedAt) {
        // each job resumes from another state: a job starting where an earlier one started would replay its files
        WriteRequest request = new WriteRequest("conn", "orders", "ns", "", mode, SCHEMA, List.of("id"), jobId, 0, jobId, extractedAt,
                Map.of("after", firstId));
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, request)) {
            writer.write(batch(firstId, rows));
            return writer.commit();
        }
    }

    private static WriteRequest request(long jobId, SyncMode mode) {
        return new WriteRequest("conn", "orders", "ns", "", mode, SCHEMA, List.of("id"), jobId, 0, jobId, TestingLake.EXTRACTED_AT);
    }

    /** Rows with ids firstId.. : a repetitive name, amount = id/100 and a timestamp per id. */
    static RecordBatch batch(long firstId, int rows) {
        List<Object[]> list = new ArrayList<>(rows);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < rows; i++) {
            long id = firstId + i;
            list.add(new Object[] {id, "customer-" + (id % 1000), java.math.BigDecimal.valueOf(id, 2), base.plusSeconds(id)});
        }
        return TestingLake.batch(SCHEMA, list, Map.of());
    }

    private static java.math.BigDecimal expectedAmountSum(long rows) {
        return java.math.BigDecimal.valueOf(rows * (rows - 1) / 2, 2);
    }

    private long countRows() throws Exception {
        if (lake.dataFiles("orders").isEmpty()) {
            return 0;
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            return duck.count(TestingDuckDb.parquet(dir.resolve("raw/ns/orders")));
        }
    }
}
