package dev.caravan.sync;

import java.util.concurrent.atomic.AtomicLong;

/** How far a running job has come: records delivered to the destination so far, and the stream being synced. */
public final class JobProgress {
    private final AtomicLong records = new AtomicLong();
    private volatile String stream = "";

    public void batchDelivered(String streamName, int rows) {
        stream = streamName;
        records.addAndGet(rows);
    }

    public long records() {
        return records.get();
    }

    public String stream() {
        return stream;
    }
}
