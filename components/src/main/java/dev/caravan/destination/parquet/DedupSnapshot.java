package dev.caravan.destination.parquet;

import dev.caravan.spi.CaravanException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the deduplicated snapshot of a stream in incremental_append_deduped mode: the latest row per primary key,
 * deletes removed, under {@code snapshot/{namespace}/{prefix}{stream}/}, sorted by key across its part files.
 *
 * <p>An update merges the previous snapshot with every raw data file published since it (named by its pointer), read
 * back from the lake, so rows of a failed job whose checkpoints were committed are merged too. The new rows are
 * sorted externally ({@link SortedRuns}); the merge streams. The new parts are staged, published, the pointer is
 * replaced (the commit point), then parts the pointer does not name are deleted. "Latest" is publication order:
 * a later raw file wins, and within a file the later row.
 */
final class DedupSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(DedupSnapshot.class);
    private static final int MAX_MERGE_SOURCES = 32;
    private static final int ROLL_CHECK_ROWS = 1000;

    private final LakeStorage storage;
    private final LakeLayout layout;
    private final MessageType schema;
    private final DedupKeys keys;
    private final ParquetFormat format;
    private final String stream;

    DedupSnapshot(LakeStorage storage, LakeLayout layout, MessageType schema, DedupKeys keys, ParquetFormat format, String stream) {
        this.storage = storage;
        this.layout = layout;
        this.schema = schema;
        this.keys = keys;
        this.format = format;
        this.stream = stream;
    }

    record Result(long rows, long mergedRows, int mergedFiles, List<String> files) {
    }

    /** Byte budget of the in-memory sort: an eighth of the heap, between 16 and 256 MiB. */
    static long sortBudget() {
        return Math.max(16 * ParquetFormat.MB, Math.min(256 * ParquetFormat.MB, Runtime.getRuntime().maxMemory() / 8));
    }

    /** Deletes snapshot parts that the pointer does not name: leftovers of a job that failed while publishing. */
    void deleteUnreferencedParts() throws IOException {
        Set<String> live = new HashSet<>(SnapshotPointer.read(storage, layout.snapshotPointerKey()).map(SnapshotPointer::files).orElse(List.of()));
        for (String key : storage.list(layout.snapshotPrefix())) {
            if (layout.isSnapshotPart(key) && !live.contains(key)) {
                storage.delete(key);
            }
        }
    }

    /** Merges the raw files published since the last update into the snapshot; empty when there were none. */
    Optional<Result> update() throws IOException {
        long started = System.nanoTime();
        Optional<SnapshotPointer> previous = SnapshotPointer.read(storage, layout.snapshotPointerKey());
        Comparator<String> order = layout.publicationOrder();
        List<String> unmerged = new ArrayList<>();
        for (String key : storage.list(layout.streamPrefix())) {
            if (layout.isDataFile(key) && (previous.isEmpty() || previous.get().mergedThrough() == null
                    || order.compare(key, previous.get().mergedThrough()) > 0)) {
                unmerged.add(key);
            }
        }
        if (unmerged.isEmpty() && previous.isPresent()) {
            return Optional.empty();
        }
        unmerged.sort(order);
        List<String> oldParts = previous.map(SnapshotPointer::files).orElse(List.of());
        Path temp = Files.createTempDirectory("caravan-dedup-");
        List<StagedFile> staged = new ArrayList<>();
        try (SortedRuns runs = new SortedRuns(schema, keys, sortBudget(), temp)) {
            for (String key : unmerged) {
                try (ParquetRowReader reader = reader(key)) {
                    Object[] row;
                    while ((row = reader.next()) != null) {
                        runs.add(row);
                    }
                }
            }
            List<RowSource> sources = new ArrayList<>();
            sources.add(new Concatenation(oldParts));
            sources.addAll(runs.finish(MAX_MERGE_SOURCES - 1));
            PartWriter out = new PartWriter(staged);
            long rows;
            try {
                rows = RowMerge.merge(sources, keys, false, out::write);
                out.finish();
            } finally {
                sources.get(0).close();
            }
            List<String> files = new ArrayList<>();
            for (StagedFile part : staged) {
                part.publish();
                files.add(part.finalKey());
            }
            String through = unmerged.isEmpty() ? previous.map(SnapshotPointer::mergedThrough).orElse(null) : unmerged.get(unmerged.size() - 1);
            storage.writeAtomically(layout.snapshotPointerKey(), new SnapshotPointer(layout.jobId(), rows, through, files).toJson());
            staged.clear();
            deleteUnreferencedParts();
            LOG.info("Snapshot of stream {} updated: {} raw file(s), {} row(s) merged ({} sorted run(s) spilled) into {} row(s), {} part(s), in {} ms",
                    stream, unmerged.size(), runs.rows(), runs.spilledRuns(), rows, files.size(), (System.nanoTime() - started) / 1_000_000);
            return Optional.of(new Result(rows, runs.rows(), unmerged.size(), files));
        } finally {
            staged.forEach(StagedFile::discard);
            deleteTree(temp);
        }
    }

    private ParquetRowReader reader(String key) throws IOException {
        ParquetRowReader reader = new ParquetRowReader(storage.openInput(key), schema, storage.describe(key));
        List<String> changedKeys = reader.changedColumns().stream().filter(keys.keyNames()::contains).toList();
        if (!changedKeys.isEmpty()) {
            reader.close();
            throw CaravanException.config("Stream " + stream + " cannot be deduplicated: primary key column(s) " + changedKeys + " of "
                    + storage.describe(key) + " have another type than the stream has now. Fix: reset the stream (delete its raw files,"
                    + " snapshot files and " + storage.describe(layout.snapshotPointerKey()) + ", then sync again) or restore the column type.");
        }
        return reader;
    }

    /** The previous snapshot's parts read one after another: together sorted, since each part continues the last. */
    private final class Concatenation implements RowSource {
        private final List<String> parts;
        private int nextPart;
        private ParquetRowReader current;

        Concatenation(List<String> parts) {
            this.parts = parts;
        }

        @Override
        public Object[] next() throws IOException {
            while (true) {
                if (current == null) {
                    if (nextPart == parts.size()) {
                        return null;
                    }
                    current = reader(parts.get(nextPart++));
                }
                Object[] row = current.next();
                if (row != null) {
                    return row;
                }
                current.close();
                current = null;
            }
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    /** Writes the merged rows into staged parts of bounded size. */
    private final class PartWriter {
        private final List<StagedFile> staged;
        private ParquetWriter<Object[]> writer;
        private long rowsInFile;

        PartWriter(List<StagedFile> staged) {
            this.staged = staged;
        }

        void write(Object[] row) throws IOException {
            if (writer == null) {
                StagedFile part = storage.stage(layout.stagingScope(), layout.snapshotPartKey(staged.size() + 1));
                staged.add(part);
                writer = ParquetFiles.open(part.outputFile(), new PhysicalWriteSupport(schema), format);
                rowsInFile = 0;
            }
            writer.write(row);
            if (++rowsInFile % ROLL_CHECK_ROWS == 0 && writer.getDataSize() >= format.fileSizeBytes()) {
                finish();
            }
        }

        void finish() throws IOException {
            if (writer != null) {
                ParquetWriter<Object[]> closing = writer;
                writer = null;
                closing.close();
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove the temporary directory {}: {}", dir, e.toString());
        }
    }
}
