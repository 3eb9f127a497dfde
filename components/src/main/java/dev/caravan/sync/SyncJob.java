package dev.caravan.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a connection: its id in the job history, the attempt number, what triggered it, when it started,
 * whether someone asked to cancel it (checked between batches) and how far it has come.
 */
public record SyncJob(long jobId, int attempt, String connection, String trigger, Instant startedAt, AtomicBoolean cancelRequested,
                      JobProgress progress) {
    public SyncJob {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(cancelRequested, "cancelRequested");
        Objects.requireNonNull(progress, "progress");
    }

    public SyncJob(long jobId, int attempt, String connection, String trigger, Instant startedAt) {
        this(jobId, attempt, connection, trigger, startedAt, new AtomicBoolean(), new JobProgress());
    }

    public void cancel() {
        cancelRequested.set(true);
    }

    public boolean cancelled() {
        return cancelRequested.get();
    }
}
