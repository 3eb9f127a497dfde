package dev.caravan.destination.parquet;

import dev.caravan.spi.FieldChange;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Requests, batches and file listings for writer tests over a lake in a temporary directory. */
final class TestingLake {
    static final Instant EXTRACTED_AT = Instant.parse("2024-05-01T12:34:56.789Z");

    private final Path root;
    private final LocalLakeStorage storage;

    TestingLake(Path root) {
        this.root = root;
        this.storage = new LocalLakeStorage(root);
    }

    Path root() {
        return root;
    }

    LocalLakeStorage storage() {
        return storage;
    }

    ParquetStreamWriter open(ParquetFormat format, WriteRequest request) {
        return ParquetStreamWriter.open(storage, format, request);
    }

    static WriteRequest request(String stream, SyncMode mode, Schema schema, long jobId) {
        return new WriteRequest("conn", stream, "ns", "", mode, schema, List.of(), jobId, 0, jobId, EXTRACTED_AT);
    }

    static RecordBatch batch(Schema schema, List<Object[]> rows) {
        return new RecordBatch(schema, rows, Map.of());
    }

    static RecordBatch batch(Schema schema, List<Object[]> rows, Map<Integer, List<FieldChange>> changes) {
        return new RecordBatch(schema, rows, Map.of(), changes);
    }

    /** Relative '/'-separated paths of every regular file under the root, sorted. */
    List<String> files() {
        return filesUnder(root);
    }

    /** Files under the tmp area (staged, not published). */
    List<String> stagedFiles() {
        return filesUnder(root.resolve(LocalLakeStorage.TMP_PREFIX));
    }

    List<String> dataFiles(String stream) {
        return filesUnder(root.resolve("raw/ns/" + stream));
    }

    private List<String> filesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<String> files = new ArrayList<>();
            walk.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p).toString()));
            files.sort(null);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
