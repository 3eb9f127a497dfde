package dev.caravan.sync;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a connection: its id in the job history, the attempt number, what triggered it, when it started,
 * whether someone asked to cancel it (checked between batches), how far it has come, and — for a replay — the bounds
 * of each stream.
 */
public record SyncJob(long jobId, int attempt, String connection, String trigger, Instant startedAt, AtomicBoolean cancelRequested,
                      JobProgress progress, Map<String, ReplayBounds> replay) {
    public SyncJob {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(cancelRequested, "cancelRequested");
        Objects.requireNonNull(progress, "progress");
        replay = replay == null ? Map.of() : Map.copyOf(replay);
    }

    public SyncJob(long jobId, int attempt, String connection, String trigger, Instant startedAt) {
        this(jobId, attempt, connection, trigger, startedAt, new AtomicBoolean(), new JobProgress(), Map.of());
    }

    /** The same job (same cancellation flag and progress) in another attempt. */
    public SyncJob withAttempt(int number) {
        return new SyncJob(jobId, number, connection, trigger, startedAt, cancelRequested, progress, replay);
    }

    /** The same job starting now (a queued job when it leaves the queue). */
    public SyncJob restartedNow() {
        return new SyncJob(jobId, attempt, connection, trigger, Instant.now().truncatedTo(ChronoUnit.MICROS), cancelRequested, progress, replay);
    }

    /** A replay of an earlier job: each stream reads within its {@link ReplayBounds} and commits no state. */
    public SyncJob asReplay(Map<String, ReplayBounds> bounds) {
        return new SyncJob(jobId, attempt, connection, trigger, startedAt, cancelRequested, progress, bounds);
    }

    public boolean isReplay() {
        return !replay.isEmpty();
    }

    public void cancel() {
        cancelRequested.set(true);
    }

    public boolean cancelled() {
        return cancelRequested.get();
    }
}
