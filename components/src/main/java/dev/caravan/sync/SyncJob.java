package dev.caravan.sync;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a connection: its id in the job history, the attempt number, what triggered it, when it started,
 * whether and why it was asked to stop (checked between batches), how far it has come, and — for a replay — the bounds
 * of each stream; {@code catalogs} holds what the job discovered (once per source per job, for schema change detection).
 */
public record SyncJob(long jobId, int attempt, String connection, String trigger, Instant startedAt, AtomicReference<StopReason> stopRequest,
                      JobProgress progress, Map<String, ReplayBounds> replay, JobCatalogs catalogs) {

    /** Why a job was asked to stop before its end; the first request is the one that counts. */
    public enum StopReason {
        /** A user cancelled it (API, JMX): the job ends cancelled. */
        CANCELLED,
        /** The server is stopping: the job ends interrupted, as one a crash left running would be marked. */
        SERVER_STOPPING
    }

    public SyncJob {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(stopRequest, "stopRequest");
        Objects.requireNonNull(progress, "progress");
        replay = replay == null ? Map.of() : Map.copyOf(replay);
        catalogs = catalogs == null ? new JobCatalogs() : catalogs;
    }

    public SyncJob(long jobId, int attempt, String connection, String trigger, Instant startedAt) {
        this(jobId, attempt, connection, trigger, startedAt, new AtomicReference<>(), new JobProgress(), Map.of(), new JobCatalogs());
    }

    /** The same job (same stop request and progress) in another attempt. */
    public SyncJob withAttempt(int number) {
        return new SyncJob(jobId, number, connection, trigger, startedAt, stopRequest, progress, replay, catalogs);
    }

    /** The same job starting now (a queued job when it leaves the queue). */
    public SyncJob restartedNow() {
        return new SyncJob(jobId, attempt, connection, trigger, Instant.now().truncatedTo(ChronoUnit.MICROS), stopRequest, progress, replay, catalogs);
    }

    /** A replay of an earlier job: each stream reads within its {@link ReplayBounds} and commits no state. */
    public SyncJob asReplay(Map<String, ReplayBounds> bounds) {
        return new SyncJob(jobId, attempt, connection, trigger, startedAt, stopRequest, progress, bounds, catalogs);
    }

    public boolean isReplay() {
        return !replay.isEmpty();
    }

    /** A user asks the job to stop. */
    public void cancel() {
        stopRequest.compareAndSet(null, StopReason.CANCELLED);
    }

    /** The server asks the job to stop because it is stopping. */
    public void interrupt() {
        stopRequest.compareAndSet(null, StopReason.SERVER_STOPPING);
    }

    public boolean stopRequested() {
        return stopRequest.get() != null;
    }

    /** Why the job was asked to stop; null while nobody has. */
    public StopReason stopReason() {
        return stopRequest.get();
    }
}
