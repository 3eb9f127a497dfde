package dev.caravan.spi;

import java.util.List;

/**
 * Reads one stream in batches: open (by {@link SourceConnector#read}) → {@link #next} until null → close.
 * Memory must stay bounded by the batch size whatever the stream's size. Calls never overlap, but successive calls
 * may come from different threads (the platform reads the next batch while the current one is written).
 */
public interface StreamReader extends AutoCloseable {

    /** The schema of the rows returned (the selected fields, in source order). */
    Schema schema();

    /** The next batch, or null when the stream is exhausted. A batch may be empty only if it moves the checkpoint. */
    RecordBatch next();

    /**
     * What the platform should show on the job about this read once {@link #next} returned null (e.g. that rows added
     * later may not be read, and how to fix it); empty by default. Each entry is one sentence an operator can act on.
     */
    default List<String> warnings() {
        return List.of();
    }

    @Override
    void close();
}
