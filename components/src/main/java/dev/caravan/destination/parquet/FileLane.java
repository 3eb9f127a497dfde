package dev.caravan.destination.parquet;

import dev.caravan.spi.RecordBatch;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Parquet file of a stream being encoded, with its own encoder: the unit a {@link ParquetStreamWriter} runs in
 * parallel. A lane encodes batches either on the caller's thread or on an encoder thread, one batch at a time; the
 * owner calls {@link #awaitEncoded} before touching the lane again, which also makes the encoder's writes visible.
 */
final class FileLane {
    private static final Logger LOG = LoggerFactory.getLogger(FileLane.class);

    /** A finished file waiting to be published, and the state its rows start after. */
    record Finished(StagedFile file, Map<String, Object> start) {
    }

    private final RowEncoder encoder;
    private final Set<String> plainColumns;
    private StagedFile file;
    private Map<String, Object> start;
    private RowFileWriter parquet;
    private long openedNanos;
    private long dataSize;
    private CompletableFuture<Void> encoding;
    /** The page buffers of this lane's files, one file after the other. */
    private final PageBufferPool buffers;

    /** {@code plainColumns}: columns not to try a dictionary for, shared by the lanes of a stream; finish() adds to it. */
    FileLane(RowEncoder encoder, Set<String> plainColumns, PageBufferPool buffers) {
        this.encoder = encoder;
        this.plainColumns = plainColumns;
        this.buffers = buffers;
    }

    boolean hasOpenFile() {
        return parquet != null;
    }

    /** Starts a new file whose rows start after {@code start}. */
    void open(StagedFile staged, Map<String, Object> startState, ParquetFormat format) throws IOException {
        file = staged;
        start = startState;
        dataSize = 0;
        openedNanos = System.nanoTime();
        parquet = new RowFileWriter(staged.outputFile(), encoder, format, plainColumns, buffers);
    }

    /** Whether the open file reached the format's size, or has been open for its maximum age. */
    boolean due(ParquetFormat format, long nowNanos) {
        return parquet != null && (dataSize >= format.fileSizeBytes() || nowNanos - openedNanos >= format.maxFileAge().toNanos());
    }

    void encode(RecordBatch batch) throws IOException {
        List<Object[]> rows = batch.rows();
        for (int i = 0; i < rows.size(); i++) {
            parquet.write(rows.get(i), batch.changesOf(i));
        }
        dataSize = parquet.dataSize();
    }

    /** Encodes {@code batch} on {@code encoders}; the batch's rows must not change until {@link #awaitEncoded} returns. */
    void encodeLater(RecordBatch batch, ExecutorService encoders) {
        encoding = AsyncIo.start(() -> {
            encode(batch);
            return null;
        }, encoders);
    }

    /** Waits for the batch being encoded, if any, and rethrows what failed it. */
    void awaitEncoded() throws IOException {
        CompletableFuture<Void> pending = encoding;
        if (pending != null) {
            encoding = null;
            AsyncIo.await(pending);
        }
    }

    /** Closes the open file (footer; for S3 the last part is uploaded) and hands it over for publishing. */
    Finished finish() throws IOException {
        RowFileWriter closing = parquet;
        parquet = null;
        closing.close();
        plainColumns.addAll(ParquetFiles.columnsThatFellBackToPlain(closing.footer()));
        Finished finished = new Finished(file, start);
        file = null;
        return finished;
    }

    /** Waits for the encoder, then discards the open file; returns whether there was one. */
    boolean discard(String stream) {
        try {
            awaitEncoded();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Encoding a discarded batch of stream {} failed: {}", stream, e.toString());
        }
        if (file == null) {
            return false;
        }
        file.discard();
        if (parquet != null) {
            parquet.abandon();
            parquet = null;
        }
        file = null;
        return true;
    }

    long rowsWithChanges() {
        return encoder.rowsWithChanges();
    }

    long nulledValues() {
        return encoder.nulledValues();
    }
}
