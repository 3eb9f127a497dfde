package dev.caravan.source.cdc;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * When a scheduled CDC read has read everything the source logged before the read started. {@link #reached} is asked
 * only while the reader holds no unread change and has seen no row for a short while; it may start the catch-up (e.g.
 * write a marker into the log once the reader streams). {@link #isEnd} sees every event.
 */
interface CatchUp extends AutoCloseable {

    /** Whether the read is caught up, given that no row arrived for {@code quietMillis}. */
    boolean reached(long quietMillis);

    /** Whether {@code event} is the marker that ends the read: everything logged before it has been read. */
    boolean isEnd(SourceRecord event);

    @Override
    void close();
}
