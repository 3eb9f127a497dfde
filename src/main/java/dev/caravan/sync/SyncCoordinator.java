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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job for a connection: one history row, then each stream route of the connection in turn. A trigger that
 * arrives while the same connection runs is skipped (logged), so runs of one connection never overlap.
 */
public final class SyncCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCoordinator.class);

    private final CamelContext context;
    private final JobRepository jobs;
    private final ConcurrentMap<String, ReentrantLock> running = new ConcurrentHashMap<>();

    public SyncCoordinator(CamelContext context, JobRepository jobs) {
        this.context = context;
        this.jobs = jobs;
    }

    /** Runs a job now in the calling thread; empty when the connection is already running. */
    public Optional<JobRecord> sync(String connection, String trigger) {
        List<CaravanSourceConsumer> streams = streamsOf(connection);
        if (streams.isEmpty()) {
            throw new CaravanException(ErrorType.CONFIG, "Connection '" + connection + "' has no started stream route; "
                    + "apply it (caravan apply) or check its route file in the route directory");
        }
        ReentrantLock lock = running.computeIfAbsent(connection, c -> new ReentrantLock());
        if (!lock.tryLock()) {
            LOG.info("Sync of {} ({}) skipped: a job of this connection is still running", connection, trigger);
            return Optional.empty();
        }
        try {
            return Optional.of(run(connection, trigger, streams));
        } finally {
            lock.unlock();
        }
    }

    public boolean isRunning(String connection) {
        ReentrantLock lock = running.get(connection);
        return lock != null && lock.isLocked();
    }

    private JobRecord run(String connection, String trigger, List<CaravanSourceConsumer> streams) {
        Instant started = Instant.now();
        long jobId = jobs.start(connection, trigger);
        SyncJob job = new SyncJob(jobId, 1, connection, trigger, started);
        LOG.info("Job {} of {} started ({}): streams {}", jobId, connection, trigger,
                streams.stream().map(CaravanSourceConsumer::stream).toList());
        long records = 0;
        long bytes = 0;
        StreamSyncResult firstFailure = null;
        for (CaravanSourceConsumer stream : streams) {
            StreamSyncResult result = stream.sync(job);
            jobs.recordStream(jobId, new JobStreamRecord(result.stream(), result.succeeded() ? JobStatus.SUCCEEDED : JobStatus.FAILED,
                    result.syncMode().configName(), result.records(), result.bytes(), result.files(), result.startState(),
                    result.endState(), result.error()));
            records += result.records();
            bytes += result.bytes();
            if (!result.succeeded() && firstFailure == null) {
                firstFailure = result;
            }
        }
        Duration took = Duration.between(started, Instant.now());
        if (firstFailure == null) {
            jobs.finish(jobId, JobStatus.SUCCEEDED, records, bytes, null, null);
            double seconds = Math.max(took.toMillis(), 1) / 1000.0;
            LOG.info("Job {} of {} succeeded: {} records, {} bytes in {} ms ({} records/s, {} MB/s)", jobId, connection, records, bytes,
                    took.toMillis(), Math.round(records / seconds), String.format("%.1f", bytes / seconds / 1_000_000));
        } else {
            ErrorType type = firstFailure.errorType() == null ? ErrorType.SYSTEM : firstFailure.errorType();
            String message = "stream " + firstFailure.stream() + ": " + firstFailure.error();
            jobs.finish(jobId, JobStatus.FAILED, records, bytes, type.name(), message);
            LOG.warn("Job {} of {} failed after {} ms ({} error): {}", jobId, connection, took.toMillis(), type, message);
        }
        return jobs.find(jobId).orElseThrow();
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
}
