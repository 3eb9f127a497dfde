package dev.caravan.jobs;

import dev.caravan.camel.source.CaravanSourceConsumer;
import dev.caravan.spi.ErrorType;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository.AttemptEnd;
import dev.caravan.state.JobRepository.JobEnd;
import dev.caravan.state.JobRepository;
import dev.caravan.state.JobStatus;
import dev.caravan.state.JobStreamRecord;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.StreamSyncResult;
import dev.caravan.sync.SyncJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job through its attempts: each attempt syncs the streams not yet done; a failed stream is retried after a
 * backoff, resuming from its last committed state, unless the failure is a config error, the job was asked to stop or the
 * attempt limit is reached. Everything is recorded: the job, each attempt, each stream of each attempt. A job asked to stop
 * ends CANCELLED when a user cancelled it and INTERRUPTED when the server is stopping (the status the startup recovery
 * gives a job a crash left running), so the history tells the two apart.
 */
final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final SyncPolicy policy;
    private final Function<String, List<CaravanSourceConsumer>> routesOf;
    private final JobListener listener;
    private final java.util.function.LongFunction<String> cancelNote;

    /**
     * {@code routesOf} finds the current stream routes of a connection: a retry uses routes reloaded meanwhile.
     * {@code cancelNote}: what a cancelled job's history adds after "cancelled on request" (the node the cancel came
     * through in a cluster; empty on a single node).
     */
    JobRunner(JobRepository jobs, SyncPolicy policy, Function<String, List<CaravanSourceConsumer>> routesOf, JobListener listener,
              java.util.function.LongFunction<String> cancelNote) {
        this.jobs = jobs;
        this.policy = policy;
        this.routesOf = routesOf;
        this.listener = listener;
        this.cancelNote = cancelNote;
    }

    JobRecord run(SyncJob job, List<CaravanSourceConsumer> streams) {
        LOG.info("Job {} of {} started ({}): streams {}", job.jobId(), job.connection(), job.trigger(),
                streams.stream().map(CaravanSourceConsumer::stream).toList());
        recordNewStreams(job);
        List<CaravanSourceConsumer> pending = streams;
        long records = 0;
        long bytes = 0;
        StreamSyncResult unrecoverable = null;
        for (int attempt = 1; ; attempt++) {
            SyncJob current = job.withAttempt(attempt);
            org.slf4j.MDC.put(JobLogs.MDC_ATTEMPT, String.valueOf(attempt));
            if (attempt > 1) {
                jobs.startAttempt(job.jobId(), attempt);
            }
            List<CaravanSourceConsumer> failed = new ArrayList<>();
            List<CaravanSourceConsumer> retryable = new ArrayList<>();
            StreamSyncResult failure = null;
            long attemptRecords = 0;
            long attemptBytes = 0;
            // The attempt's last stream is recorded together with the attempt's end (one transaction fewer per job).
            JobStreamRecord lastStream = null;
            for (int i = 0; i < pending.size(); i++) {
                // The route may have been reloaded since the job started (a connection changed meanwhile): use the live one.
                CaravanSourceConsumer stream = live(job.connection(), pending.get(i));
                long streamStarted = System.nanoTime();
                StreamSyncResult result = stream.sync(current);
                listener.streamEnded(current, result, Duration.ofNanos(System.nanoTime() - streamStarted));
                JobStreamRecord recorded = new JobStreamRecord(attempt, result.stream(), statusOf(result, job), result.syncMode().configName(),
                        result.records(), result.bytes(), result.files(), result.startState(), result.endState(), result.error(), result.warnings(),
                        result.connectors(), result.schemaChanges());
                if (i < pending.size() - 1) {
                    jobs.recordStream(job.jobId(), recorded);
                } else {
                    lastStream = recorded;
                }
                attemptRecords += result.records();
                attemptBytes += result.bytes();
                if (!result.succeeded()) {
                    failed.add(stream);
                    if (result.errorType() != ErrorType.CONFIG) {
                        retryable.add(stream);
                    } else if (unrecoverable == null) {
                        unrecoverable = result;
                    }
                    // the reason reported is the first failure that a retry cannot fix, else the first failure
                    boolean permanent = result.errorType() == ErrorType.CONFIG;
                    if (failure == null || permanent && failure.errorType() != ErrorType.CONFIG) {
                        failure = result;
                    }
                }
            }
            records += attemptRecords;
            bytes += attemptBytes;
            if (failure == null) {
                AttemptEnd ended = new AttemptEnd(attempt, JobStatus.SUCCEEDED, attemptRecords, attemptBytes, null, null);
                if (unrecoverable == null) {
                    return succeeded(job, lastStream, ended, records, bytes);
                }
                // the retried streams made it, but an earlier attempt had a stream fail with a config error
                String reason = "stream " + unrecoverable.stream() + ": " + unrecoverable.error();
                LOG.warn("Job {} of {} failed (CONFIG error): {}", job.jobId(), job.connection(), reason);
                return endJob(job, lastStream, ended, new JobEnd(JobStatus.FAILED, records, bytes, ErrorType.CONFIG.name(), reason));
            }
            ErrorType type = failure.errorType() == null ? ErrorType.SYSTEM : failure.errorType();
            String message = "stream " + failure.stream() + ": " + failure.error();
            AttemptEnd ended = new AttemptEnd(attempt, statusOf(job), attemptRecords, attemptBytes, type.name(), message);
            if (job.stopRequested()) {
                return stopped(job, attempt, lastStream, ended, records, bytes, false);
            }
            if (retryable.isEmpty() || attempt >= policy.maxAttempts()) {
                String reason = retryable.isEmpty() ? message : message + " (gave up after " + attempt + " attempt" + (attempt > 1 ? "s" : "") + ")";
                LOG.warn("Job {} of {} failed ({} error): {}", job.jobId(), job.connection(), type, reason);
                return endJob(job, lastStream, ended, new JobEnd(JobStatus.FAILED, records, bytes, type.name(), reason));
            }
            try {
                jobs.endAttempt(job.jobId(), lastStream, ended);
            } catch (RuntimeException e) {
                throw keepingStream(job, lastStream, e);
            }
            Duration wait = policy.backoffBefore(attempt + 1);
            LOG.warn("Attempt {} of job {} of {} failed ({} error): {}; retrying streams {} in {} ms (attempt {} of {})", attempt, job.jobId(),
                    job.connection(), type, message, retryable.stream().map(CaravanSourceConsumer::stream).toList(), wait.toMillis(), attempt + 1,
                    policy.maxAttempts());
            if (!sleep(wait, job)) {
                return stopped(job, attempt, null, null, records, bytes, true);
            }
            // Streams that failed with a config error are not retried: the job fails with that reason after the retries.
            List<String> retried = retryable.stream().map(CaravanSourceConsumer::stream).toList();
            pending = routesOf.apply(job.connection()).stream().filter(c -> retried.contains(c.stream())).toList();
            if (pending.size() < retried.size()) {
                String reason = message + "; then the routes of streams " + retried + " were removed, so there is nothing to retry";
                return jobs.finish(job.jobId(), JobStatus.FAILED, records, bytes, type.name(), reason);
            }
        }
    }

    /**
     * Looks for streams new in the connection's sources (one check per source, with the job's discover) and records them
     * on the job; a failure here never fails the job.
     */
    private void recordNewStreams(SyncJob job) {
        try {
            List<CaravanSourceConsumer> all = routesOf.apply(job.connection());
            List<String> configured = all.stream().map(CaravanSourceConsumer::stream).distinct().toList();
            List<SchemaChange> changes = new ArrayList<>();
            Map<String, CaravanSourceConsumer> bySource = new LinkedHashMap<>();
            all.forEach(route -> bySource.putIfAbsent(route.source(), route));
            for (CaravanSourceConsumer route : bySource.values()) {
                changes.addAll(route.newStreams(job, configured));
            }
            if (!changes.isEmpty()) {
                jobs.recordSchemaChanges(job.jobId(), changes);
            }
        } catch (RuntimeException e) {
            LOG.warn("Job {} of {}: could not look for new streams: {}", job.jobId(), job.connection(), e.getMessage());
        }
    }

    private CaravanSourceConsumer live(String connection, CaravanSourceConsumer captured) {
        return routesOf.apply(connection).stream().filter(c -> c.stream().equals(captured.stream())).findFirst().orElse(captured);
    }

    /** Records the end of the job with its attempt's last stream; see {@link #keepingStream} when that fails. */
    private JobRecord endJob(SyncJob job, JobStreamRecord lastStream, AttemptEnd attempt, JobEnd end) {
        try {
            return jobs.endJob(job.jobId(), lastStream, attempt, end);
        } catch (RuntimeException e) {
            throw keepingStream(job, lastStream, e);
        }
    }

    /**
     * The attempt's end could not be written (the metadata store failed), and with it went the last stream's row: that
     * stream's data and checkpoint are committed, so its row is written on its own if the store takes it (history and
     * replays need it). Returns {@code failure}, for the job's crash handling.
     */
    private RuntimeException keepingStream(SyncJob job, JobStreamRecord lastStream, RuntimeException failure) {
        if (lastStream != null) {
            try {
                jobs.recordStream(job.jobId(), lastStream);
            } catch (RuntimeException again) {
                failure.addSuppressed(again);
            }
        }
        return failure;
    }

    private JobRecord succeeded(SyncJob job, JobStreamRecord lastStream, AttemptEnd attempt, long records, long bytes) {
        JobRecord ended = endJob(job, lastStream, attempt, new JobEnd(JobStatus.SUCCEEDED, records, bytes, null, null));
        Duration took = Duration.between(job.startedAt(), Instant.now());
        double seconds = Math.max(took.toMillis(), 1) / 1000.0;
        LOG.info("Job {} of {} succeeded: {} records, {} bytes in {} ms ({} records/s, {} MB/s)", job.jobId(), job.connection(), records, bytes,
                took.toMillis(), Math.round(records / seconds), Math.round(bytes / seconds / 100_000) / 10.0);
        return ended;
    }

    /**
     * Records the end of a job that was asked to stop; what was committed before stays. {@code attempt} is the end of the
     * attempt that saw the stop (null when the stop came while waiting to retry: that attempt is already recorded).
     */
    private JobRecord stopped(SyncJob job, int attemptNumber, JobStreamRecord lastStream, AttemptEnd attempt, long records, long bytes,
                              boolean waitingToRetry) {
        JobEnd end;
        if (job.stopReason() == SyncJob.StopReason.SERVER_STOPPING) {
            end = new JobEnd(JobStatus.INTERRUPTED, records, bytes, ErrorType.TRANSIENT.name(), "the server stopped while this job was "
                    + (waitingToRetry ? "waiting to retry" : "running") + "; its streams resume from their last committed state at the next sync");
            LOG.info("Job {} of {} interrupted in attempt {} because the server is stopping; committed data and state are kept", job.jobId(),
                    job.connection(), attemptNumber);
        } else {
            end = new JobEnd(JobStatus.CANCELLED, records, bytes, null, "cancelled on request" + cancelNote.apply(job.jobId())
                    + (waitingToRetry ? " while waiting to retry" : ""));
            LOG.info("Job {} of {} cancelled in attempt {}; committed data and state are kept", job.jobId(), job.connection(), attemptNumber);
        }
        return attempt == null ? jobs.finish(job.jobId(), end.status(), records, bytes, end.errorType(), end.errorMessage())
                : endJob(job, lastStream, attempt, end);
    }

    /** Waits, waking up early when the job is asked to stop; false if it was. */
    private static boolean sleep(Duration wait, SyncJob job) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (job.stopRequested()) {
                    return false;
                }
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !job.stopRequested();
    }

    private static JobStatus statusOf(StreamSyncResult result, SyncJob job) {
        return result.succeeded() ? JobStatus.SUCCEEDED : statusOf(job);
    }

    /** The status of a failed attempt or stream: the job's stop, if it was asked to stop, else FAILED. */
    static JobStatus statusOf(SyncJob job) {
        SyncJob.StopReason reason = job.stopReason();
        if (reason == null) {
            return JobStatus.FAILED;
        }
        return reason == SyncJob.StopReason.SERVER_STOPPING ? JobStatus.INTERRUPTED : JobStatus.CANCELLED;
    }
}
