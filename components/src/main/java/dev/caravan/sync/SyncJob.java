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

    /** The same job (same cancellation flag and progress) in another attempt. */
    public SyncJob withAttempt(int number) {
        return new SyncJob(jobId, number, connection, trigger, startedAt, cancelRequested, progress);
    }

    /** The same job starting now (a queued job when it leaves the queue). */
    public SyncJob restartedNow() {
        return new SyncJob(jobId, attempt, connection, trigger, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), cancelRequested, progress);
    }

    public void cancel() {
        cancelRequested.set(true);
    }

    public boolean cancelled() {
        return cancelRequested.get();
    }
}
