package dev.caravan.source.cdc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one table's changes through Debezium's embedded engine: the engine runs on its own thread and hands change
 * events to a bounded queue (so memory stays bounded: the engine waits while the queue is full); {@link #next} turns
 * them into batches whose checkpoint is the Debezium offset of their last event. The engine's offset store is seeded with
 * the committed state and otherwise ignored, and it never confirms a position to the server itself: only a checkpoint the
 * platform committed after the Parquet files are durable is ever confirmed (at the next read, see the connector).
 *
 * <p>The read ends (scheduled mode) when {@link CatchUp} says everything logged before the start has been read.
 */
final class DebeziumStreamReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(DebeziumStreamReader.class);
    /** A partial batch is handed over after this long without a new change, so small syncs finish quickly. */
    private static final long HAND_OVER_MILLIS = 300;
    private static final long POLL_MILLIS = 100;

    private final Schema schema;
    private final ChangeRows rows;
    private final int batchSize;
    private final CatchUp catchUp;
    private final String name;
    private final BlockingQueue<SourceRecord> queue;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ExecutorService thread;
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile boolean engineStopped;
    private volatile boolean closing;
    private Map<String, Object> checkpoint;
    private long lastChangeNanos = System.nanoTime();
    private boolean finished;
    private long changes;

    DebeziumStreamReader(String name, Schema schema, ChangeRows rows, Properties engineProperties, Map<String, Object> start, int batchSize,
                         CatchUp catchUp) {
        this.name = name;
        this.schema = schema;
        this.rows = rows;
        this.batchSize = batchSize;
        this.catchUp = catchUp;
        this.checkpoint = start;
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, batchSize * 2));
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties)
                .using((success, message, error) -> {
                    if (!success && !closing) {
                        failure.compareAndSet(null, error != null ? error : new IllegalStateException(message));
                    }
                    engineStopped = true;
                })
                .notifying(this::handleBatch)
                .build();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "caravan-cdc-" + name);
            t.setDaemon(true);
            return t;
        });
        thread.execute(engine);
        LOG.info("CDC read of {} started from {}", name, start.isEmpty() ? "an initial snapshot" : CdcOffsets.offset(start));
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> events, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        for (RecordChangeEvent<SourceRecord> event : events) {
            while (!queue.offer(event.record(), POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (closing) {
                    return;
                }
            }
            // The engine's own offset store is not the durable one, and the connector never confirms positions to the
            // server (lsn.flush.mode=manual), so marking events processed commits nothing that matters.
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public RecordBatch next() {
        if (finished) {
            return null;
        }
        Map<String, Object> before = checkpoint;
        List<Object[]> out = new ArrayList<>(Math.min(batchSize, 4096));
        try {
            while (out.size() < batchSize) {
                SourceRecord record = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (record == null) {
                    rethrowFailure();
                    long quiet = (System.nanoTime() - lastChangeNanos) / 1_000_000;
                    if (!out.isEmpty() && quiet >= HAND_OVER_MILLIS) {
                        break;
                    }
                    if (quiet >= HAND_OVER_MILLIS && queue.isEmpty() && catchUp.reached(quiet)) {
                        finished = true;
                        CdcLag.caughtUp(name);
                        break;
                    }
                    if (engineStopped && queue.isEmpty()) {
                        rethrowFailure();
                        throw new CaravanException(ErrorType.TRANSIENT, "the CDC engine of " + name + " stopped before the read caught up");
                    }
                    continue;
                }
                Object[] row = rows.row(record);
                if (row != null) {
                    long committed = ChangeRows.committedAtMillis(record);
                    if (committed > 0) {
                        CdcLag.changeRead(name, committed);
                    }
                    out.add(row);
                    changes++;
                    lastChangeNanos = System.nanoTime();
                }
                if (record.sourceOffset() != null && record.sourcePartition() != null) {
                    checkpoint = CdcOffsets.state(record.sourcePartition(), record.sourceOffset());
                }
                if (catchUp.isEnd(record)) {
                    finished = true;
                    CdcLag.caughtUp(name);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaravanException(ErrorType.TRANSIENT, "the CDC read of " + name + " was interrupted", e);
        }
        if (out.isEmpty() && checkpoint.equals(before)) {
            return null;
        }
        return new RecordBatch(schema, out, checkpoint);
    }

    private void rethrowFailure() {
        Throwable error = failure.get();
        if (error != null) {
            throw CdcErrors.engineFailed(name, error);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            engine.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Stopping the CDC engine of {} failed: {}", name, e.toString());
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catchUp.close();
        LOG.info("CDC read of {} ended after {} change(s)", name, changes);
    }
}
