package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes: files published whose checkpoint was never committed are taken back by the next job
 * that starts from the same state (it writes their rows again); files covered by a committed checkpoint stay.
 */
class ReplayTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64), Field.nullable("pad", FieldType.STRING)));
    private static final ParquetFormat SMALL_FILES = new ParquetFormat(CompressionCodecName.UNCOMPRESSED, ParquetFormat.MB, ParquetFormat.MB);

    @TempDir
    Path dir;
    private TestingLake lake;

    @BeforeEach
    void setUp() {
        lake = new TestingLake(dir);
    }

    @Test
    void aFilePublishedWithoutItsCheckpointCommittedIsReplacedByTheReplay() throws Exception {
        Map<String, Object> start = Map.of("id", 0L);
        long next;
        try (ParquetStreamWriter crashed = lake.open(SMALL_FILES, request(1, SyncMode.INCREMENTAL_APPEND, start))) {
            next = writeUntilPublished(crashed, 1);
        } // the process "dies" before the checkpoint of the published file is committed
        assertThat(rows()).isEqualTo(next - 1);

        try (ParquetStreamWriter replay = lake.open(SMALL_FILES, request(2, SyncMode.INCREMENTAL_APPEND, Map.of("id", 0)))) {
            assertThat(lake.dataFiles("orders")).as("taken back: Integer 0 and Long 0 are the same state").isEmpty();
            writeUntilPublished(replay, 1);
            replay.commit();
        }
        assertThat(rows()).isEqualTo(distinctIds());
    }

    @Test
    void thePublishJournalExistsOnlyUntilTheCheckpointOfThePublishedFilesIsCommitted() throws Exception {
        try (ParquetStreamWriter writer = lake.open(SMALL_FILES, request(1, SyncMode.INCREMENTAL_APPEND, Map.of("id", 0L)))) {
            long next = writeUntilPublished(writer, 1);
            assertThat(lake.files()).as("a file is published, its checkpoint not yet committed").anyMatch(f -> f.endsWith("publishing.json"));
            writer.checkpointCommitted();
            assertThat(lake.files()).noneMatch(f -> f.endsWith("publishing.json"));
            writer.write(batch(next, 10));
            writer.commit();
            assertThat(lake.files()).as("the last file, published by commit, before the state commit").anyMatch(f -> f.endsWith("publishing.json"));
            writer.checkpointCommitted();
            assertThat(lake.files()).as("after the job's checkpoint").noneMatch(f -> f.endsWith("publishing.json"));
        }
        assertThat(rows()).isEqualTo(distinctIds());
    }

    @Test
    void aFileWhoseCheckpointWasCommittedStays() throws Exception {
        long next;
        try (ParquetStreamWriter first = lake.open(SMALL_FILES, request(1, SyncMode.INCREMENTAL_APPEND, Map.of("id", 0L)))) {
            next = writeUntilPublished(first, 1);
        }
        // the checkpoint of the published file was committed: the next job starts after it
        try (ParquetStreamWriter second = lake.open(SMALL_FILES, request(2, SyncMode.INCREMENTAL_APPEND, Map.of("id", next - 1)))) {
            second.write(batch(next, 10));
            second.commit();
        }
        assertThat(rows()).isEqualTo(next - 1 + 10).isEqualTo(distinctIds());
    }

    @Test
    void aFullRefreshThatFailedWhilePublishingIsTakenBackByTheNextJob() throws Exception {
        LakeStorage failing = new FailOnSecondPublish(new LocalLakeStorage(dir));
        ParquetStreamWriter writer = ParquetStreamWriter.open(failing, SMALL_FILES, request(1, SyncMode.FULL_REFRESH_APPEND, Map.of()));
        for (long id = 1; id <= 300_000; id += 10_000) {
            writer.write(batch(id, 10_000));
        }
        assertThatThrownBy(writer::commit).hasMessageContaining("injected");
        writer.close();
        // the job's files are published at once: all but the one whose publish failed became visible
        assertThat(lake.dataFiles("orders")).as("files of the failed job became visible").isNotEmpty();
        assertThat(lake.stagedFiles()).as("the file that failed was discarded").isEmpty();

        try (ParquetStreamWriter next = lake.open(SMALL_FILES, request(2, SyncMode.FULL_REFRESH_APPEND, Map.of()))) {
            assertThat(lake.dataFiles("orders")).as("the partial job is taken back").isEmpty();
            next.write(batch(1, 100));
            next.commit();
        }
        assertThat(rows()).isEqualTo(100);
        assertThat(lake.files()).noneMatch(f -> f.endsWith("publishing.json"));
    }

    private long writeUntilPublished(ParquetStreamWriter writer, long from) {
        long id = from;
        boolean durable = false;
        while (!durable) {
            durable = writer.write(batch(id, 5_000));
            id += 5_000;
        }
        return id;
    }

    private static RecordBatch batch(long from, int count) {
        List<Object[]> rows = new ArrayList<>(count);
        for (long id = from; id < from + count; id++) {
            rows.add(new Object[] {id, "row " + id + " with some padding to fill files"});
        }
        return new RecordBatch(SCHEMA, rows, Map.of("id", from + count - 1));
    }

    private static WriteRequest request(long job, SyncMode mode, Map<String, Object> start) {
        return new WriteRequest("conn", "orders", "ns", "", mode, SCHEMA, List.of("id"), job, 1, 0, TestingLake.EXTRACTED_AT, start);
    }

    private long rows() throws Exception {
        try (TestingDuckDb duck = new TestingDuckDb()) {
            return duck.count(TestingDuckDb.parquet(dir.resolve("raw/ns/orders")));
        }
    }

    private long distinctIds() throws Exception {
        try (TestingDuckDb duck = new TestingDuckDb()) {
            return ((Number) duck.single("select count(distinct id) from " + TestingDuckDb.parquet(dir.resolve("raw/ns/orders")))).longValue();
        }
    }

    /** A local lake whose second publish fails, like a store that goes away in the middle of a commit. */
    private static final class FailOnSecondPublish implements LakeStorage {
        private final LocalLakeStorage delegate;
        private int publishes;

        FailOnSecondPublish(LocalLakeStorage delegate) {
            this.delegate = delegate;
        }

        @Override
        public StagedFile stage(StagingScope scope, String finalKey) throws IOException {
            StagedFile staged = delegate.stage(scope, finalKey);
            return new StagedFile() {
                @Override
                public String finalKey() {
                    return staged.finalKey();
                }

                @Override
                public OutputFile outputFile() {
                    return staged.outputFile();
                }

                @Override
                public long publish() throws IOException {
                    if (++publishes == 2) {
                        throw new IOException("injected publish failure");
                    }
                    return staged.publish();
                }

                @Override
                public void discard() {
                    staged.discard();
                }
            };
        }

        @Override
        public void discardStaged(StagingScope scope) throws IOException {
            delegate.discardStaged(scope);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            return delegate.list(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            delegate.delete(key);
        }

        @Override
        public void writeAtomically(String key, byte[] content) throws IOException {
            delegate.writeAtomically(key, content);
        }

        @Override
        public byte[] read(String key) throws IOException {
            return delegate.read(key);
        }

        @Override
        public InputFile openInput(String key) throws IOException {
            return delegate.openInput(key);
        }

        @Override
        public String describe(String key) {
            return delegate.describe(key);
        }
    }
}
