package dev.caravan.source.jdbc;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.Schema;
import dev.caravan.spi.StreamReader;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A split read: one thread per remaining key range reads it with its own {@link JdbcStreamReader} (its own connection),
 * and {@link #next} hands the engine their batches one at a time, in the order they arrive. The queue between them holds
 * at most one batch per range, so each range has at most two batches in memory (one queued, one being read).
 *
 * <p>Each batch carries the checkpoint of every range ({@link SplitState#checkpoint}): for the batch's range its last key,
 * for the others the last key of their batches handed out before, or done. Committed in batch order, a checkpoint never
 * names a key whose row was not in a batch up to it. A failing range fails the read (the range and cause named); closing
 * stops every range and returns when all their connections are closed.
 */
final class SplitStreamReader implements StreamReader {
    private static final Logger LOG = LoggerFactory.getLogger(SplitStreamReader.class);
    private static final long POLL_MILLIS = 100;
    private static final long CLOSE_WAIT_MILLIS = 30_000;

    /** A batch of a range, or (batch null) the end of that range. */
    private record Item(int range, RecordBatch batch) {
    }

    private final SplitState.Plan plan;
    private final Schema schema;
    private final BlockingQueue<Item> queue;
    private final Object[] positions;
    private final JdbcStreamReader[] readers;
    private final Thread[] threads;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean closed;
    private int running;

    /** Starts a thread for every range not done; {@code open} opens a range's reader (on that range's thread). */
    SplitStreamReader(SplitState.Plan plan, Schema schema, Function<KeyRange, JdbcStreamReader> open) {
        this.plan = plan;
        this.schema = schema;
        List<KeyRange> ranges = plan.ranges();
        this.positions = plan.positions().toArray();
        this.readers = new JdbcStreamReader[ranges.size()];
        this.threads = new Thread[ranges.size()];
        this.queue = new ArrayBlockingQueue<>(ranges.size(), true);
        for (KeyRange range : ranges) {
            if (positions[range.index()] != SplitState.DONE) {
                running++;
                Thread thread = new Thread(() -> read(range, open), "caravan-split-" + plan.stream() + "-" + (range.index() + 1));
                thread.setDaemon(true);
                threads[range.index()] = thread;
            }
        }
        for (Thread thread : threads) {
            if (thread != null) {
                thread.start();
            }
        }
    }

    private void read(KeyRange range, Function<KeyRange, JdbcStreamReader> open) {
        JdbcStreamReader reader = null;
        try {
            reader = open.apply(range);
            synchronized (readers) {
                readers[range.index()] = reader;
            }
            if (closed) {
                return;
            }
            RecordBatch batch;
            while ((batch = reader.next()) != null) {
                if (!put(new Item(range.index(), batch))) {
                    return;
                }
            }
            put(new Item(range.index(), null));
        } catch (RuntimeException | Error e) {
            if (!closed) {
                String what = "Split read of stream " + plan.stream() + ": " + range.label(plan.key()) + " failed: " + ErrorClassifier.message(e);
                failure.compareAndSet(null, new CaravanException(ErrorClassifier.classify(e), what, e));
            }
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
    }

    /** Waits for room in the queue; false once the read is closed or failed (nobody takes batches any more). */
    private boolean put(Item item) {
        try {
            while (!closed && failure.get() == null) {
                if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing over a batch", e);
        }
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public RecordBatch next() {
        while (running > 0) {
            Item item;
            try {
                item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaravanException(ErrorType.TRANSIENT, "split read of stream " + plan.stream() + " was interrupted", e);
            }
            RuntimeException failed = failure.get();
            if (failed != null) {
                throw failed;
            }
            if (item == null) {
                continue;
            }
            if (item.batch() == null) {
                positions[item.range()] = SplitState.DONE;
                running--;
                continue;
            }
            positions[item.range()] = SplitState.position(item.batch().checkpoint(), positions[item.range()]);
            RecordBatch batch = item.batch();
            return new RecordBatch(batch.schema(), batch.rows(), SplitState.checkpoint(plan, positions), batch.changes());
        }
        return null;
    }

    /** Stops every range (cancelling queries in flight) and waits until their readers, and connections, are closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (readers) {
            for (int i = 0; i < readers.length; i++) {
                if (readers[i] != null && positions[i] != SplitState.DONE && threads[i] != null && threads[i].isAlive()) {
                    readers[i].cancel();
                }
            }
        }
        queue.clear();
        long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
        for (Thread thread : threads) {
            if (thread == null) {
                continue;
            }
            try {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) {
                LOG.warn("Split read of stream {}: {} did not stop within {} s", plan.stream(), thread.getName(), CLOSE_WAIT_MILLIS / 1000);
            }
        }
    }
}
