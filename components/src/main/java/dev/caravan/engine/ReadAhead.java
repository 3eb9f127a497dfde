package dev.caravan.engine;

import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Reads the next batch of a stream on another thread while the caller writes the current one, so that reading (driver
 * decoding) and writing (Parquet encoding) overlap on two cores. At most one batch is read ahead, and calls to the reader
 * never overlap: each waits for the previous one. Batches come out in the reader's order, with the reader's exceptions.
 * {@link #close} waits for a read in flight, so the reader can be closed right after it.
 */
final class ReadAhead implements AutoCloseable {
    private final StreamReader reader;
    private final ExecutorService executor;
    private CompletableFuture<RecordBatch> pending;

    ReadAhead(StreamReader reader, ExecutorService executor) {
        this.reader = reader;
        this.executor = executor;
    }

    /** The next batch (null at the end); with {@code more}, starts reading the one after it. */
    RecordBatch next(boolean more) {
        RecordBatch batch = pending == null ? reader.next() : await();
        if (batch != null && more) {
            pending = CompletableFuture.supplyAsync(reader::next, executor);
        }
        return batch;
    }

    /**
     * The reader must not be closed while it reads, so waits are not cut short by an interrupt: {@code join()} keeps
     * waiting and sets the thread's interrupt flag again afterwards.
     */
    private RecordBatch await() {
        CompletableFuture<RecordBatch> reading = pending;
        pending = null;
        try {
            return reading.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Waits for the read in flight (its batch and errors are dropped: the sync is ending). */
    @Override
    public void close() {
        if (pending != null) {
            try {
                pending.join();
            } catch (CompletionException | CancellationException e) {
                // the sync stops anyway; the error that stopped it is the one reported
            }
            pending = null;
        }
    }
}
