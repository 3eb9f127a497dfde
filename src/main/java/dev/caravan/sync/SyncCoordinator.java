package dev.caravan.sync;

import dev.caravan.camel.CaravanSourceConsumer;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository;
import dev.caravan.state.JobStatus;
import dev.caravan.state.JobStreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs of connections: one history row, then each stream route of the connection in turn. Runs of one
 * connection never overlap: a trigger that arrives while the connection runs is skipped (logged), and callers are
 * told which job is running.
 */
public final class SyncCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCoordinator.class);
    private static final long PROGRESS_SECONDS = 10;

    private final CamelContext context;
    private final JobRepository jobs;
    private final ExecutorService executor;
    private final ConcurrentMap<String, RunningJob> running = new ConcurrentHashMap<>();
    private final JobListener listener;
    private final ScheduledExecutorService progressLog;

    /** A job that has started: its id and a future completed with its final record. */
    public record RunningJob(SyncJob job, CompletableFuture<JobRecord> completion) {
        public long id() {
            return job.jobId();
        }
    }

    /** Told about every job that ends (webhooks, metrics); must not throw. */
    public interface JobListener {
        void jobEnded(JobRecord job);

        /** A job has started; {@code scheduledAt} is when its trigger was due (scheduled runs only, else null). */
        default void jobStarted(SyncJob job, Instant scheduledAt) {
        }

        /** One stream of a running job has ended, after {@code took}. */
        default void streamEnded(SyncJob job, StreamSyncResult result, Duration took) {
        }

        /** All of {@code listeners}, in order; one that throws is logged and does not stop the others. */
        static JobListener all(JobListener... listeners) {
            List<JobListener> all = List.of(listeners);
            return new JobListener() {
                @Override
                public void jobEnded(JobRecord job) {
                    each(l -> l.jobEnded(job));
                }

                @Override
                public void jobStarted(SyncJob job, Instant scheduledAt) {
                    each(l -> l.jobStarted(job, scheduledAt));
                }

                @Override
                public void streamEnded(SyncJob job, StreamSyncResult result, Duration took) {
                    each(l -> l.streamEnded(job, result, took));
                }

                private void each(java.util.function.Consumer<JobListener> call) {
                    for (JobListener listener : all) {
                        try {
                            call.accept(listener);
                        } catch (RuntimeException e) {
                            LOG.warn("Job listener {} failed: {}", listener.getClass().getSimpleName(), e.getMessage(), e);
                        }
                    }
                }
            };
        }
    }

    public SyncCoordinator(CamelContext context, JobRepository jobs, JobListener listener) {
        this.context = context;
        this.jobs = jobs;
        // A listener that throws must never fail or strand a job: each call is isolated and logged.
        this.listener = JobListener.all(listener);
        this.executor = context.getExecutorServiceManager().newCachedThreadPool(this, "caravan-sync");
        this.progressLog = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "caravan-progress");
        progressLog.scheduleAtFixedRate(this::logProgress, PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
    }

    /** One line per running job every {@value #PROGRESS_SECONDS} s, so long syncs show they are moving. */
    private void logProgress() {
        for (RunningJob job : running.values()) {
            if (job.id() < 0) {
                continue;
            }
            long records = job.job().progress().records();
            double seconds = Math.max(1, Duration.between(job.job().startedAt(), Instant.now()).toMillis()) / 1000.0;
            LOG.info("Job {} of {} running for {} s: {} records so far ({} records/s), stream {}", job.id(), job.job().connection(),
                    Math.round(seconds), records, Math.round(records / seconds), job.job().progress().stream());
        }
    }

    /**
     * Starts a job of the connection in the background and returns it; empty when a job of this connection is already
     * running (see {@link #running}). Throws a CONFIG error when the connection has no started stream route.
     */
    public Optional<RunningJob> start(String connection, String trigger) {
        return start(connection, trigger, null);
    }

    /** {@link #start(String, String)} for a scheduled run whose trigger was due at {@code scheduledAt} (to measure lag). */
    public Optional<RunningJob> start(String connection, String trigger, Instant scheduledAt) {
        List<CaravanSourceConsumer> streams = streamsOf(connection);
        if (streams.isEmpty()) {
            throw new CaravanException(ErrorType.CONFIG, "Connection '" + connection + "' has no started stream route; "
                    + "apply it (caravan apply) or check its route file in the route directory");
        }
        CompletableFuture<JobRecord> completion = new CompletableFuture<>();
        RunningJob placeholder = new RunningJob(new SyncJob(-1, 1, connection, trigger, Instant.now()), completion);
        if (running.putIfAbsent(connection, placeholder) != null) {
            LOG.info("Sync of {} ({}) skipped: job {} of this connection is still running", connection, trigger, running.get(connection).id());
            return Optional.empty();
        }
        RunningJob job;
        try {
            Instant started = Instant.now();
            long jobId = jobs.start(connection, trigger);
            job = new RunningJob(new SyncJob(jobId, 1, connection, trigger, started), completion);
            running.put(connection, job);
        } catch (RuntimeException e) {
            running.remove(connection, placeholder);
            throw e;
        }
        listener.jobStarted(job.job(), scheduledAt);
        executor.submit(() -> {
            try {
                JobRecord record = run(job.job(), streams);
                completion.complete(record);
                listener.jobEnded(record);
            } catch (Throwable t) {
                LOG.error("Job {} of {} crashed: {}", job.id(), connection, t.getMessage(), t);
                jobs.finish(job.id(), JobStatus.FAILED, 0, 0, ErrorType.SYSTEM.name(), ErrorClassifier.message(t));
                completion.completeExceptionally(t);
            } finally {
                running.remove(connection, job);
            }
        });
        return Optional.of(job);
    }

    /** Runs a job now and waits for it; empty when the connection is already running. */
    public Optional<JobRecord> sync(String connection, String trigger) {
        return sync(connection, trigger, null);
    }

    /** {@link #sync(String, String)} for a scheduled run whose trigger was due at {@code scheduledAt}. */
    public Optional<JobRecord> sync(String connection, String trigger, Instant scheduledAt) {
        return start(connection, trigger, scheduledAt).map(job -> job.completion().join());
    }

    public Optional<RunningJob> running(String connection) {
        RunningJob job = running.get(connection);
        return job == null || job.id() < 0 ? Optional.empty() : Optional.of(job);
    }

    /** Asks a running job to stop at the next batch boundary; false when no such job is running. */
    public boolean cancel(long jobId) {
        for (RunningJob job : running.values()) {
            if (job.id() == jobId) {
                job.job().cancel();
                LOG.info("Cancelling job {} of {}", jobId, job.job().connection());
                return true;
            }
        }
        return false;
    }

    private JobRecord run(SyncJob job, List<CaravanSourceConsumer> streams) {
        long jobId = job.jobId();
        String connection = job.connection();
        LOG.info("Job {} of {} started ({}): streams {}", jobId, connection, job.trigger(),
                streams.stream().map(CaravanSourceConsumer::stream).toList());
        long records = 0;
        long bytes = 0;
        StreamSyncResult firstFailure = null;
        for (CaravanSourceConsumer stream : streams) {
            long streamStarted = System.nanoTime();
            StreamSyncResult result = stream.sync(job);
            listener.streamEnded(job, result, Duration.ofNanos(System.nanoTime() - streamStarted));
            jobs.recordStream(jobId, new JobStreamRecord(result.stream(), statusOf(result, job), result.syncMode().configName(),
                    result.records(), result.bytes(), result.files(), result.startState(), result.endState(), result.error()));
            records += result.records();
            bytes += result.bytes();
            if (!result.succeeded() && firstFailure == null) {
                firstFailure = result;
            }
        }
        Duration took = Duration.between(job.startedAt(), Instant.now());
        if (firstFailure == null) {
            jobs.finish(jobId, JobStatus.SUCCEEDED, records, bytes, null, null);
            double seconds = Math.max(took.toMillis(), 1) / 1000.0;
            LOG.info("Job {} of {} succeeded: {} records, {} bytes in {} ms ({} records/s, {} MB/s)", jobId, connection, records, bytes,
                    took.toMillis(), Math.round(records / seconds), Math.round(bytes / seconds / 100_000) / 10.0);
        } else if (job.cancelled()) {
            jobs.finish(jobId, JobStatus.CANCELLED, records, bytes, null, "cancelled on request");
            LOG.info("Job {} of {} cancelled after {} ms; committed data and state are kept", jobId, connection, took.toMillis());
        } else {
            ErrorType type = firstFailure.errorType() == null ? ErrorType.SYSTEM : firstFailure.errorType();
            String message = "stream " + firstFailure.stream() + ": " + firstFailure.error();
            jobs.finish(jobId, JobStatus.FAILED, records, bytes, type.name(), message);
            LOG.warn("Job {} of {} failed after {} ms ({} error): {}", jobId, connection, took.toMillis(), type, message);
        }
        return jobs.find(jobId).orElseThrow();
    }

    private static JobStatus statusOf(StreamSyncResult result, SyncJob job) {
        if (result.succeeded()) {
            return JobStatus.SUCCEEDED;
        }
        return job.cancelled() ? JobStatus.CANCELLED : JobStatus.FAILED;
    }

    /** The connections that have at least one stream route. */
    public Set<String> connections() {
        return context.getRoutes().stream().map(Route::getConsumer).filter(CaravanSourceConsumer.class::isInstance)
                .map(c -> ((CaravanSourceConsumer) c).connection()).collect(Collectors.toCollection(TreeSet::new));
    }

    private List<CaravanSourceConsumer> streamsOf(String connection) {
        return context.getRoutes().stream()
                .map(Route::getConsumer)
                .filter(CaravanSourceConsumer.class::isInstance)
                .map(CaravanSourceConsumer.class::cast)
                .filter(c -> c.connection().equals(connection))
                .sorted(Comparator.comparing(CaravanSourceConsumer::stream))
                .toList();
    }

    @Override
    public void close() {
        running.values().forEach(job -> job.job().cancel());
        context.getExecutorServiceManager().shutdownNow(progressLog);
        context.getExecutorServiceManager().shutdownGraceful(executor);
    }
}
