package dev.caravan.destination.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * An external sort of physical rows by {@link DedupKeys}, keeping the last row added per key. Rows are buffered up to
 * a byte budget (estimated), then sorted and spilled as a Parquet run file in a local directory. Memory: the budget
 * while adding; while reading, the in-memory rest plus one small row group per run, at most {@code maxSources}
 * of them (older runs are merged first when there are more).
 */
final class SortedRuns implements AutoCloseable {
    /** Runs are read side by side: small row groups keep that cheap. */
    private static final ParquetFormat RUN_FORMAT = new ParquetFormat(CompressionCodecName.SNAPPY, Long.MAX_VALUE, ParquetFormat.MB);
    private static final int ROW_OVERHEAD = 16 + 16;
    private static final int VALUE_OVERHEAD = 24;

    private final MessageType schema;
    private final DedupKeys keys;
    private final long budgetBytes;
    private final Path directory;
    private final List<Path> runs = new ArrayList<>();
    private final List<RowSource> open = new ArrayList<>();
    private List<Object[]> buffer = new ArrayList<>();
    private long bufferedBytes;
    private long rows;
    private int spills;

    SortedRuns(MessageType schema, DedupKeys keys, long budgetBytes, Path directory) {
        this.schema = schema;
        this.keys = keys;
        this.budgetBytes = budgetBytes;
        this.directory = directory;
    }

    void add(Object[] row) throws IOException {
        buffer.add(row);
        rows++;
        bufferedBytes += estimate(row);
        if (bufferedBytes >= budgetBytes) {
            spill(sortedBuffer());
        }
    }

    long rows() {
        return rows;
    }

    /** How many sorted runs were written to disk (before any were merged together). */
    int spilledRuns() {
        return spills;
    }

    /** The sorted runs, oldest first, at most {@code maxSources}; each has one row per key, deletes included. */
    List<RowSource> finish(int maxSources) throws IOException {
        List<Object[]> rest = sortedBuffer();
        int inMemory = rest.isEmpty() ? 0 : 1;
        while (runs.size() + inMemory > maxSources) {
            List<Path> oldest = new ArrayList<>(runs.subList(0, Math.min(maxSources, runs.size())));
            List<RowSource> readers = new ArrayList<>();
            try {
                for (Path run : oldest) {
                    readers.add(openRun(run));
                }
                Path merged = newRunFile();
                try (ParquetWriter<Object[]> out = ParquetFiles.open(new LocalOutputFile(merged), new PhysicalWriteSupport(schema), RUN_FORMAT)) {
                    RowMerge.merge(readers, keys, true, out::write);
                }
                runs.removeAll(oldest);
                runs.add(0, merged);
            } finally {
                for (RowSource reader : readers) {
                    reader.close();
                }
                for (Path run : oldest) {
                    Files.deleteIfExists(run);
                }
            }
        }
        List<RowSource> sources = new ArrayList<>();
        for (Path run : runs) {
            RowSource source = openRun(run);
            open.add(source);
            sources.add(source);
        }
        if (inMemory == 1) {
            Iterator<Object[]> it = rest.iterator();
            sources.add(new RowSource() {
                @Override
                public Object[] next() {
                    return it.hasNext() ? it.next() : null;
                }

                @Override
                public void close() {
                }
            });
        }
        return sources;
    }

    /** Closes open runs and deletes their files. */
    @Override
    public void close() throws IOException {
        for (RowSource source : open) {
            source.close();
        }
        open.clear();
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        runs.clear();
        buffer = new ArrayList<>();
    }

    /** The buffer sorted by key, keeping the last row added of each key; the buffer is emptied. */
    private List<Object[]> sortedBuffer() {
        List<Object[]> sorted = buffer;
        buffer = new ArrayList<>();
        bufferedBytes = 0;
        sorted.sort(keys); // stable: rows of one key stay in the order added
        List<Object[]> unique = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            if (i + 1 == sorted.size() || keys.compare(sorted.get(i), sorted.get(i + 1)) != 0) {
                unique.add(sorted.get(i));
            }
        }
        return unique;
    }

    private void spill(List<Object[]> sorted) throws IOException {
        Path run = newRunFile();
        try (ParquetWriter<Object[]> out = ParquetFiles.open(new LocalOutputFile(run), new PhysicalWriteSupport(schema), RUN_FORMAT)) {
            for (Object[] row : sorted) {
                out.write(row);
            }
        }
        runs.add(run);
        spills++;
    }

    private Path newRunFile() {
        return directory.resolve("run-" + System.nanoTime() + "-" + runs.size() + ".parquet");
    }

    private RowSource openRun(Path run) throws IOException {
        return new ParquetRowReader(new LocalInputFile(run), schema, run.toString());
    }

    private static long estimate(Object[] row) {
        long bytes = ROW_OVERHEAD + 4L * row.length;
        for (Object value : row) {
            if (value instanceof Binary binary) {
                bytes += VALUE_OVERHEAD + 24 + binary.length();
            } else if (value != null) {
                bytes += VALUE_OVERHEAD;
            }
        }
        return bytes;
    }
}
