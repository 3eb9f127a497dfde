package dev.caravan.destination.parquet;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.bytes.ByteBufferAllocator;

/**
 * The heap buffers of a lane's Parquet files — encoded values of a page, compressed pages of a row group — handed out
 * again once parquet-java releases them, instead of new arrays for every page of every row group. The compressed pages
 * of a row group live until it is flushed, long enough to be promoted to the old generation; without reuse they filled
 * it with dead buffers until a full collection (peak memory grew with the rows copied), and every new array was zeroed.
 *
 * <p>A request takes the smallest idle buffer of at least its size and at most a quarter larger (the buffer's limit is
 * the size asked for), or a new array rounded up to 4 KiB. Only buffers this pool handed out and did not get back yet
 * are taken back (a second release of one is ignored); idle buffers beyond {@code maxIdleBytes} are left to the
 * collector. Small requests get plain buffers. Thread-safe.
 */
final class PageBufferPool implements ByteBufferAllocator {
    static final int MIN_POOLED_BYTES = 16 * 1024;
    private static final int ROUND_TO = 4096;

    private final long maxIdleBytes;
    private final boolean poisonReleased;
    private final TreeMap<Integer, ArrayDeque<byte[]>> idle = new TreeMap<>();
    private final Map<byte[], Boolean> handedOut = new IdentityHashMap<>();
    private long idleBytes;
    private long reused;

    /** {@code poisonReleased}: overwrite released buffers (tests: a reader of a released buffer then reads garbage). */
    PageBufferPool(long maxIdleBytes, boolean poisonReleased) {
        this.maxIdleBytes = maxIdleBytes;
        this.poisonReleased = poisonReleased;
    }

    @Override
    public synchronized ByteBuffer allocate(int size) {
        if (size < MIN_POOLED_BYTES) {
            return ByteBuffer.allocate(size);
        }
        byte[] array = takeIdle(size);
        if (array == null) {
            array = new byte[Math.toIntExact(Math.min(Integer.MAX_VALUE - 8L, ((long) size + ROUND_TO - 1) / ROUND_TO * ROUND_TO))];
        } else {
            reused++;
        }
        handedOut.put(array, Boolean.TRUE);
        return ByteBuffer.wrap(array, 0, size);
    }

    private byte[] takeIdle(int size) {
        Map.Entry<Integer, ArrayDeque<byte[]>> fit = idle.ceilingEntry(size);
        if (fit == null || fit.getKey() > size + size / 4) {
            return null;
        }
        byte[] array = fit.getValue().pop();
        if (fit.getValue().isEmpty()) {
            idle.remove(fit.getKey());
        }
        idleBytes -= array.length;
        return array;
    }

    @Override
    public synchronized void release(ByteBuffer buffer) {
        if (!buffer.hasArray() || handedOut.remove(buffer.array()) == null) {
            return;
        }
        byte[] array = buffer.array();
        if (poisonReleased) {
            Arrays.fill(array, (byte) 0xA5);
        }
        if (idleBytes + array.length > maxIdleBytes) {
            return;
        }
        idle.computeIfAbsent(array.length, length -> new ArrayDeque<>()).push(array);
        idleBytes += array.length;
    }

    @Override
    public boolean isDirect() {
        return false;
    }

    /** How many requests got a buffer back from an earlier release. */
    synchronized long reused() {
        return reused;
    }

    /** Bytes of the buffers handed out and not released yet. */
    synchronized long handedOutBytes() {
        return handedOut.keySet().stream().mapToLong(array -> array.length).sum();
    }
}
