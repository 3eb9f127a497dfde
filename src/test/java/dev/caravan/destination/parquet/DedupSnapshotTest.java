package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * incremental_append_deduped on the local lake (the code S3 shares): the snapshot holds the latest row per key, honours
 * deletes, is replaced as a whole, merges files of failed jobs and follows schema changes. Read back with DuckDB.
 */
class DedupSnapshotTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING),
            Field.nullable("_caravan_deleted", FieldType.BOOLEAN)));
    private static final ParquetFormat SMALL_FILES = new ParquetFormat(CompressionCodecName.SNAPPY, ParquetFormat.MB, ParquetFormat.MB);
    private static final String SNAPSHOT = "snapshot/ns/orders/";
    private static final String POINTER = "_airbyte_internal/state/ns/orders/snapshot.json";

    @TempDir
    Path dir;
    private TestingLake lake;

    @BeforeEach
    void setUp() {
        lake = new TestingLake(dir);
    }

    @Test
    void theSnapshotKeepsTheLatestRowPerKeyAndDropsDeletes() throws Exception {
        TreeMap<Long, String> expected = new TreeMap<>();
        List<Object[]> first = new ArrayList<>();
        for (long id = 1; id <= 1000; id++) {
            first.add(row(id, "v1-" + id, false));
            expected.put(id, "v1-" + id);
        }
        first.add(row(5, "v1-5-again", false)); // later in the same job: wins
        expected.put(5L, "v1-5-again");
        commit(1, SCHEMA, first, ParquetFormat.DEFAULT);
        assertSnapshot(expected);

        List<Object[]> second = new ArrayList<>();
        for (long id = 1; id <= 100; id++) {
            second.add(row(id, "v2-" + id, false));
            expected.put(id, "v2-" + id);
        }
        for (long id = 901; id <= 950; id++) {
            second.add(row(id, null, true));
            expected.remove(id);
        }
        second.add(row(2000, "born", false));
        second.add(row(2000, null, true)); // inserted and deleted in one job: absent
        second.add(row(3000, "deleted-then-back", true));
        second.add(row(3000, "back", false));
        expected.put(3000L, "back");
        commit(2, SCHEMA, second, ParquetFormat.DEFAULT);
        assertSnapshot(expected);
        assertThat(snapshotParts()).containsExactly(SNAPSHOT + "part-2-001.parquet");
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.count(TestingDuckDb.parquet(dir.resolve("raw/ns/orders")))).as("the raw history keeps everything").isEqualTo(1001 + 154);
        }
        JsonNode pointer = new ObjectMapper().readTree(dir.resolve(POINTER).toFile());
        assertThat(pointer.get("job").asLong()).isEqualTo(2);
        assertThat(pointer.get("rows").asLong()).isEqualTo(expected.size());
        assertThat(pointer.get("merged_through").asText()).isEqualTo("raw/ns/orders/2024/05/01/data-002.parquet");
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("_airbyte_internal/state/ns/orders/jobs/job-2.json").toFile());
        assertThat(manifest.get("snapshotFiles").get(0).asText()).isEqualTo(SNAPSHOT + "part-2-001.parquet");
        assertThat(manifest.get("snapshotRows").asLong()).isEqualTo(expected.size());

        commit(3, SCHEMA, List.of(), ParquetFormat.DEFAULT);
        assertThat(snapshotParts()).as("nothing new: the snapshot stays").containsExactly(SNAPSHOT + "part-2-001.parquet");
    }

    @Test
    void aLargeSnapshotIsSplitIntoPartsSortedByKey() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < 150_000; i++) {
            long id = (i * 7919) % 150_000; // every id once, out of order
            rows.add(row(id, "name-" + id + "-" + "x".repeat((int) (id % 50)), false));
        }
        commit(1, SCHEMA, rows, SMALL_FILES);
        List<String> parts = snapshotParts();
        assertThat(parts).hasSizeGreaterThan(2);
        try (TestingDuckDb duck = new TestingDuckDb()) {
            long previousMax = -1;
            for (String part : parts) {
                List<Object> range = duck.rows("select min(id), max(id), count(*) from read_parquet('" + dir.resolve(part) + "')").get(0);
                assertThat((Long) range.get(0)).as("%s continues the previous part", part).isGreaterThan(previousMax);
                previousMax = (Long) range.get(1);
            }
            assertThat(duck.count(TestingDuckDb.parquet(dir.resolve("snapshot")))).isEqualTo(150_000);
        }
    }

    @Test
    void rowsOfAFailedJobThatWereCommittedReachTheNextSnapshot() throws Exception {
        commit(1, SCHEMA, List.<Object[]>of(row(1, "a", false)), ParquetFormat.DEFAULT);
        // job 2 rolls (publishes) a file, then fails before commit: its rows are durable but not in the snapshot
        ParquetStreamWriter failed = lake.open(SMALL_FILES, request(2, SCHEMA, Map.of("after", 1)));
        long id = 100;
        boolean published = false;
        while (!published) {
            List<Object[]> batch = new ArrayList<>();
            for (int i = 0; i < 5000; i++, id++) {
                batch.add(row(id, "filler-" + id, false));
            }
            batch.add(row(1, "updated-by-failed-job", false));
            published = failed.write(new RecordBatch(SCHEMA, batch, Map.of("after", id)));
        }
        failed.write(new RecordBatch(SCHEMA, List.<Object[]>of(row(1, "lost: never durable", false)), Map.of("after", id + 1)));
        failed.abort();
        failed.close();

        commit(3, SCHEMA, List.<Object[]>of(row(7, "b", false)), ParquetFormat.DEFAULT, Map.of("after", id));
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.single("select name from " + TestingDuckDb.parquet(dir.resolve("snapshot")) + " where id = 1"))
                    .isEqualTo("updated-by-failed-job");
            assertThat(duck.count(TestingDuckDb.parquet(dir.resolve("snapshot")))).isEqualTo(id - 100 + 2);
        }
    }

    @Test
    void partsOfAnUnfinishedUpdateAreRemovedAndANewColumnIsNullForOldRows() throws Exception {
        commit(1, SCHEMA, List.<Object[]>of(row(1, "a", false), row(2, "b", false)), ParquetFormat.DEFAULT);
        Files.copy(dir.resolve(SNAPSHOT + "part-1-001.parquet"), dir.resolve(SNAPSHOT + "part-9-001.parquet"));

        Schema wider = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING),
                Field.nullable("_caravan_deleted", FieldType.BOOLEAN), Field.nullable("score", FieldType.INT32)));
        commit(2, wider, List.<Object[]>of(new Object[] {3L, "c", false, 30}), ParquetFormat.DEFAULT);
        assertThat(snapshotParts()).containsExactly(SNAPSHOT + "part-2-001.parquet");
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.rows("select id, name, coalesce(score, -1) from " + TestingDuckDb.parquet(dir.resolve("snapshot")) + " order by id"))
                    .containsExactly(List.of(1L, "a", -1), List.of(2L, "b", -1), List.of(3L, "c", 30));
        }
    }

    @Test
    void airbyteCdcDeletedAtMarksDeletes() throws Exception {
        Schema cdc = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("_ab_cdc_deleted_at", FieldType.TIMESTAMP_TZ)));
        commit(1, cdc, List.<Object[]>of(new Object[] {1L, null}, new Object[] {2L, null}), ParquetFormat.DEFAULT);
        commit(2, cdc, List.<Object[]>of(new Object[] {1L, Instant.parse("2024-05-01T00:00:00Z")}), ParquetFormat.DEFAULT);
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.rows("select id from " + TestingDuckDb.parquet(dir.resolve("snapshot")))).containsExactly(List.of(2L));
        }
    }

    @Test
    void aPrimaryKeyOutsideTheSchemaIsAConfigError() {
        WriteRequest request = new WriteRequest("conn", "orders", "ns", "", SyncMode.INCREMENTAL_APPEND_DEDUPED, SCHEMA, List.of("missing"), 1, 0,
                1, TestingLake.EXTRACTED_AT);
        assertThatThrownBy(() -> lake.open(ParquetFormat.DEFAULT, request)).isInstanceOf(CaravanException.class)
                .hasMessageContaining("[missing]").hasMessageContaining("Fix:");
        WriteRequest noKey = new WriteRequest("conn", "orders", "ns", "", SyncMode.INCREMENTAL_APPEND_DEDUPED, SCHEMA, List.of(), 1, 0,
                1, TestingLake.EXTRACTED_AT);
        assertThatThrownBy(() -> lake.open(ParquetFormat.DEFAULT, noKey)).hasMessageContaining("no primary key");
    }

    private void commit(long job, Schema schema, List<Object[]> rows, ParquetFormat format) {
        commit(job, schema, rows, format, Map.of("after", job * 1_000_000));
    }

    private void commit(long job, Schema schema, List<Object[]> rows, ParquetFormat format, Map<String, Object> start) {
        try (ParquetStreamWriter writer = lake.open(format, request(job, schema, start))) {
            for (int from = 0; from < rows.size(); from += 10_000) {
                writer.write(new RecordBatch(schema, rows.subList(from, Math.min(rows.size(), from + 10_000)), Map.of("after", job * 1_000_000 + from)));
            }
            writer.commit();
        }
    }

    private static WriteRequest request(long job, Schema schema, Map<String, Object> start) {
        return new WriteRequest("conn", "orders", "ns", "", SyncMode.INCREMENTAL_APPEND_DEDUPED, schema, List.of("id"), job, 1, 0,
                TestingLake.EXTRACTED_AT, start);
    }

    private static Object[] row(long id, String name, boolean deleted) {
        return new Object[] {id, name, deleted};
    }

    private List<String> snapshotParts() {
        return lake.files().stream().filter(f -> f.startsWith("snapshot/")).toList();
    }

    private void assertSnapshot(TreeMap<Long, String> expected) throws Exception {
        try (TestingDuckDb duck = new TestingDuckDb()) {
            List<List<Object>> rows = duck.rows("select id, name, _caravan_deleted from " + TestingDuckDb.parquet(dir.resolve("snapshot")) + " order by id");
            assertThat(rows).hasSize(expected.size());
            int i = 0;
            for (Map.Entry<Long, String> entry : expected.entrySet()) {
                assertThat(rows.get(i++)).containsExactly(entry.getKey(), entry.getValue(), false);
            }
        }
    }
}
