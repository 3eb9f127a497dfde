package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import dev.caravan.spi.FullRefreshState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * full_refresh_overwrite generations: each in its own directory, named by current.json once complete, replaced ones kept
 * for the grace period; a keyed run publishes as it goes and a resume continues its generation; startup recovery rolls
 * back what a crash left and deletes what expired. Read back with DuckDB.
 */
class OverwriteGenerationsTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("name", FieldType.STRING)));
    private static final ParquetFormat SMALL_FILES = new ParquetFormat(CompressionCodecName.SNAPPY, ParquetFormat.MB, ParquetFormat.MB);
    private static final String STATE = "_airbyte_internal/state/ns/orders/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void replacedGenerationsStayForTheGracePeriodThenGo() throws Exception {
        TestingLake lake = new TestingLake(dir);
        overwrite(lake, ParquetFormat.DEFAULT, 1, 10);
        overwrite(lake, ParquetFormat.DEFAULT, 2, 20);
        JsonNode pointer = pointer();
        assertThat(pointer.get("generation").asLong()).isEqualTo(2);
        assertThat(pointer.get("directory").asText()).isEqualTo("raw/ns/orders/generation=2/");
        assertThat(pointer.get("files")).extracting(JsonNode::asText).containsExactly("raw/ns/orders/generation=2/2024/05/01/data-001.parquet");
        assertThat(pointer.get("retired")).singleElement().satisfies(r -> assertThat(r.get("generation").asLong()).isEqualTo(1));
        assertThat(lake.dataFiles("orders")).as("the replaced generation stays for the grace period")
                .containsExactly("raw/ns/orders/generation=1/2024/05/01/data-001.parquet", "raw/ns/orders/generation=2/2024/05/01/data-001.parquet");
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.count("read_parquet('" + dir.resolve("raw/ns/orders") + "/*/*/*/*/*.parquet', hive_partitioning = true) WHERE generation = "
                    + pointer.get("generation").asLong())).as("hive partition selection").isEqualTo(20);
            // the query docs/destinations.md gives: the current generation, selected in SQL from current.json
            assertThat(duck.rows("SELECT count(*), min(_airbyte_generation_id) FROM read_parquet('" + dir.resolve("raw/ns/orders")
                    + "/**/*.parquet', hive_partitioning = true) WHERE generation = (SELECT generation FROM read_json('"
                    + dir.resolve(STATE + "current.json") + "'))").get(0)).containsExactly(20L, 2L);
            assertThat(duck.count("read_parquet('" + dir.resolve("raw/ns/orders") + "/**/*.parquet')")).as("a plain glob sees every kept generation")
                    .isEqualTo(30);
        }

        // the server starts an hour and a minute later: recovery deletes the expired generation, the current one stays
        List<String> done = new LakeRecovery(lake.storage(), ParquetFormat.DEFAULT.overwriteGracePeriod())
                .run((c, s) -> Map.of(), Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(done).singleElement().asString().contains("deleted 1 file(s)");
        assertThat(lake.dataFiles("orders")).containsExactly("raw/ns/orders/generation=2/2024/05/01/data-001.parquet");
        assertThat(pointer().get("retired")).isEmpty();

        // with a grace period of 0 the next overwrite deletes the one it replaces at once
        overwrite(lake, ParquetFormat.DEFAULT.withOverwriteGracePeriod(Duration.ZERO), 3, 5);
        assertThat(lake.dataFiles("orders")).containsExactly("raw/ns/orders/generation=3/2024/05/01/data-001.parquet");
    }

    @Test
    void filesOutsideGenerationsAreRetiredLikeAGeneration() throws Exception {
        TestingLake lake = new TestingLake(dir);
        WriteRequest append = new WriteRequest("conn", "orders", "ns", "", SyncMode.FULL_REFRESH_APPEND, SCHEMA, List.of(), 1, 0, 1, TestingLake.EXTRACTED_AT);
        try (ParquetStreamWriter writer = lake.open(ParquetFormat.DEFAULT, append)) {
            writer.write(rows(0, 7));
            writer.commit();
        }
        overwrite(lake, ParquetFormat.DEFAULT, 2, 3);
        assertThat(pointer().get("retired")).singleElement().satisfies(r -> assertThat(r.get("generation").asLong()).isEqualTo(-1));
        overwrite(lake, ParquetFormat.DEFAULT.withOverwriteGracePeriod(Duration.ZERO), 3, 4);
        assertThat(lake.dataFiles("orders")).containsExactly("raw/ns/orders/generation=3/2024/05/01/data-001.parquet");
    }

    @Test
    void aKeyedOverwritePublishesIntoItsGenerationAndAResumeContinuesIt() throws Exception {
        TestingLake lake = new TestingLake(dir);
        overwrite(lake, ParquetFormat.DEFAULT, 1, 10);
        // run of generation 2, killed after its first files were published and their checkpoint committed
        Map<String, Object> start = FullRefreshState.inProgress(1, Map.of());
        long written = 0;
        Map<String, Object> committed;
        try (ParquetStreamWriter writer = lake.open(SMALL_FILES, keyed(2, 2, start))) {
            boolean durable = false;
            while (!durable) {
                durable = writer.write(rows(written, 5_000, FullRefreshState.inProgress(1, Map.of("pk", List.of(written + 4_999)))));
                written += 5_000;
            }
            committed = FullRefreshState.inProgress(1, Map.of("pk", List.of(written - 1)));
            writer.checkpointCommitted();
            writer.write(rows(written, 10)); // staged: lost with the crash
        }
        assertThat(lake.dataFiles("orders")).as("published as it goes").contains("raw/ns/orders/generation=2/2024/05/01/data-001.parquet");
        assertThat(pointer().get("generation").asLong()).as("readers still see generation 1").isEqualTo(1);

        // the resumed run continues generation 2 after the checkpoint
        try (ParquetStreamWriter writer = lake.open(SMALL_FILES, keyed(3, 2, committed))) {
            writer.write(rows(written, 1_000));
            writer.commit();
        }
        JsonNode pointer = pointer();
        assertThat(pointer.get("generation").asLong()).isEqualTo(2);
        assertThat(pointer.get("files").size()).as("the files of both runs").isGreaterThan(1);
        JsonNode manifest = JSON.readTree(dir.resolve(STATE + "jobs/job-3.json").toFile());
        assertThat(manifest.get("generationFiles")).isEqualTo(pointer.get("files"));
        try (TestingDuckDb duck = new TestingDuckDb()) {
            String generation = "read_parquet('" + dir.resolve("raw/ns/orders/generation=2") + "/**/*.parquet')";
            assertThat(duck.count(generation)).isEqualTo(written + 1_000);
            assertThat(duck.rows("select count(distinct id), min(id), max(id) from " + generation).get(0))
                    .containsExactly(written + 1_000, 0L, written + 999);
        }

        // a run starting generation 3 from the beginning first empties what an earlier attempt left in its directory
        Path leftover = dir.resolve("raw/ns/orders/generation=3/2024/05/01/data-001.parquet");
        Files.createDirectories(leftover.getParent());
        Files.copy(dir.resolve(pointer.get("files").get(0).asText()), leftover);
        try (ParquetStreamWriter writer = lake.open(SMALL_FILES, keyed(4, 3, FullRefreshState.inProgress(2, Map.of())))) {
            assertThat(leftover).doesNotExist();
            writer.write(rows(0, 3));
            writer.commit();
        }
        try (TestingDuckDb duck = new TestingDuckDb()) {
            assertThat(duck.count("read_parquet('" + dir.resolve("raw/ns/orders/generation=3") + "/**/*.parquet')")).isEqualTo(3);
        }
    }

    @Test
    void recoveryRollsBackAPublishWhoseRowsWereNotCommittedAndKeepsOneWhoseCheckpointWas() throws Exception {
        TestingLake lake = new TestingLake(dir);
        overwrite(lake, ParquetFormat.DEFAULT, 1, 10);
        Map<String, Object> start = FullRefreshState.inProgress(1, Map.of());
        try (ParquetStreamWriter writer = lake.open(SMALL_FILES, keyed(2, 2, start))) {
            long written = 0;
            while (!writer.write(rows(written, 5_000, FullRefreshState.inProgress(1, Map.of("pk", List.of(written + 4_999)))))) {
                written += 5_000;
            }
            // killed before the checkpoint was committed: the journal names the published file
        }
        assertThat(dir.resolve(STATE + "publishing.json")).exists();
        List<String> published = lake.dataFiles("orders").stream().filter(f -> f.contains("generation=2")).toList();
        assertThat(published).isNotEmpty();

        // the committed state moved on (another key): only the journal goes
        LakeRecovery recovery = new LakeRecovery(lake.storage(), Duration.ofMinutes(60));
        Files.copy(dir.resolve(STATE + "publishing.json"), dir.resolve("journal.bak"));
        assertThat(recovery.run((c, s) -> FullRefreshState.inProgress(1, Map.of("pk", List.of(99))), Instant.now()))
                .singleElement().asString().contains("kept");
        assertThat(lake.dataFiles("orders")).containsAll(published);

        // the committed state is the journal's start: the publish is rolled back
        Files.move(dir.resolve("journal.bak"), dir.resolve(STATE + "publishing.json"));
        List<String> seen = new ArrayList<>();
        assertThat(recovery.run((c, s) -> {
            seen.add(c + "/" + s);
            return start;
        }, Instant.now())).singleElement().asString().contains("rolled back");
        assertThat(seen).containsExactly("conn/orders");
        assertThat(lake.dataFiles("orders")).doesNotContainAnyElementsOf(published);
        assertThat(dir.resolve(STATE + "publishing.json")).doesNotExist();
        assertThat(pointer().get("generation").asLong()).isEqualTo(1);
    }

    private void overwrite(TestingLake lake, ParquetFormat format, long job, int rows) {
        WriteRequest request = new WriteRequest("conn", "orders", "ns", "", SyncMode.FULL_REFRESH_OVERWRITE, SCHEMA, List.of(), job, 0, job,
                TestingLake.EXTRACTED_AT);
        try (ParquetStreamWriter writer = lake.open(format, request)) {
            writer.write(rows(0, rows));
            writer.commit();
        }
    }

    private static WriteRequest keyed(long job, long generation, Map<String, Object> start) {
        return new WriteRequest("conn", "orders", "ns", "", SyncMode.FULL_REFRESH_OVERWRITE, SCHEMA, List.of("id"), job, 0, generation,
                TestingLake.EXTRACTED_AT, start);
    }

    private JsonNode pointer() throws Exception {
        return JSON.readTree(dir.resolve(STATE + "current.json").toFile());
    }

    private static dev.caravan.spi.RecordBatch rows(long firstId, int count) {
        return rows(firstId, count, Map.of());
    }

    private static dev.caravan.spi.RecordBatch rows(long firstId, int count, Map<String, Object> checkpoint) {
        List<Object[]> list = new ArrayList<>(count);
        for (long id = firstId; id < firstId + count; id++) {
            list.add(new Object[] {id, "name-" + id + "-" + "x".repeat(64)});
        }
        return new dev.caravan.spi.RecordBatch(SCHEMA, list, checkpoint);
    }
}
