package dev.caravan.sync;

import java.time.Instant;
import java.util.Objects;

/** One run of a connection: its id in the job history, the attempt number, what triggered it and when it started. */
public record SyncJob(long jobId, int attempt, String connection, String trigger, Instant startedAt) {
    public SyncJob {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
