package dev.caravan.metrics;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository;
import dev.caravan.state.JobStatus;
import dev.caravan.jobs.JobListener;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.StreamSyncResult;
import dev.caravan.sync.SyncJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caravan's sync metrics, fed by the sync coordinator's job events (names as Prometheus shows them):
 * <ul>
 * <li>{@code caravan_sync_records_total}, {@code caravan_sync_bytes_total},
 *     {@code caravan_sync_rows_with_changes_total} {connection, stream}: delivered by streams that succeeded;</li>
 * <li>{@code caravan_sync_stream_duration_seconds} {connection, stream, status}: time per stream sync;</li>
 * <li>{@code caravan_sync_jobs_total} and {@code caravan_sync_job_duration_seconds} {connection, status}: job outcomes;</li>
 * <li>{@code caravan_sync_last_success_timestamp_seconds} {connection}: end of the last successful job (from the job
 *     history at start, so it survives restarts);</li>
 * <li>{@code caravan_schema_changes_total} {connection, stream, kind, action}: changes of a stream's source schema found
 *     before its sync (docs/schema-changes.md);</li>
 * <li>{@code caravan_schedule_lag_seconds} {connection}: from when a schedule's trigger was due to when its job started.</li>
 * </ul>
 */
public final class SyncMetrics implements JobListener {
    private static final String CONNECTION = "connection";
    private static final String STREAM = "stream";
    private static final String STATUS = "status";

    private final MeterRegistry registry;
    private final JobRepository jobs;
    private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();

    public SyncMetrics(MeterRegistry registry, JobRepository jobs) {
        this.registry = registry;
        this.jobs = jobs;
    }

    @Override
    public void jobStarted(SyncJob job, Instant scheduledAt) {
        if (scheduledAt == null) {
            return;
        }
        Duration lag = Duration.between(scheduledAt, job.startedAt());
        Timer.builder("caravan.schedule.lag").description("From when a scheduled trigger was due to when its job started")
                .tag(CONNECTION, job.connection()).register(registry).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    @Override
    public void streamEnded(SyncJob job, StreamSyncResult result, Duration took) {
        String status = result.succeeded() ? "succeeded" : job.stopReason() == SyncJob.StopReason.CANCELLED ? "cancelled"
                : job.stopReason() == SyncJob.StopReason.SERVER_STOPPING ? "interrupted" : "failed";
        Timer.builder("caravan.sync.stream.duration").description("Time to sync one stream")
                .tags(CONNECTION, job.connection(), STREAM, result.stream(), STATUS, status).register(registry).record(took);
        for (SchemaChange change : result.schemaChanges()) {
            schemaChange(job.connection(), result.stream(), change);
        }
        if (!result.succeeded()) {
            return;
        }
        counter("caravan.sync.records", "Records delivered to the destination", null, job.connection(), result.stream()).increment(result.records());
        counter("caravan.sync.bytes", "Bytes of data files published", "bytes", job.connection(), result.stream()).increment(result.bytes());
        counter("caravan.sync.rows.with.changes", "Rows whose _airbyte_meta lists changes (values nulled or altered)", null,
                job.connection(), result.stream()).increment(result.rowsWithChanges());
    }

    private void schemaChange(String connection, String stream, SchemaChange change) {
        Counter.builder("caravan.schema.changes").description("Changes of a source's schema found before a sync, by what was done")
                .tags(CONNECTION, connection, STREAM, stream, "kind", change.kind().name().toLowerCase(Locale.ROOT),
                        "action", change.action().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    @Override
    public void jobEnded(JobRecord job) {
        // the changes of the connection's stream list (each stream's own are counted when it ends)
        for (SchemaChange change : job.schemaChanges()) {
            schemaChange(job.connection(), change.stream(), change);
        }
        String status = job.status().name().toLowerCase(Locale.ROOT);
        Counter.builder("caravan.sync.jobs").description("Jobs ended, by status").tags(CONNECTION, job.connection(), STATUS, status)
                .register(registry).increment();
        if (job.endedAt() != null) {
            Timer.builder("caravan.sync.job.duration").description("Time a job took").tags(CONNECTION, job.connection(), STATUS, status)
                    .register(registry).record(Duration.between(job.startedAt(), job.endedAt()));
        }
        if (job.status() == JobStatus.SUCCEEDED && job.endedAt() != null) {
            lastSuccess(job.connection(), job.endedAt());
        }
    }

    /** Follows the set of connections: seeds the last success of new ones from the history, drops the meters of removed ones. */
    public void track(Set<String> connections) {
        for (String connection : connections) {
            if (!lastSuccess.containsKey(connection)) {
                jobs.lastWithStatus(connection, JobStatus.SUCCEEDED).filter(j -> j.endedAt() != null)
                        .ifPresent(j -> lastSuccess(connection, j.endedAt()));
            }
        }
        for (Meter meter : registry.getMeters()) {
            String connection = meter.getId().getTag(CONNECTION);
            if (meter.getId().getName().startsWith("caravan.") && connection != null && !connections.contains(connection)) {
                registry.remove(meter);
                lastSuccess.remove(connection);
            }
        }
    }

    private void lastSuccess(String connection, Instant endedAt) {
        boolean first = !lastSuccess.containsKey(connection);
        lastSuccess.merge(connection, endedAt.toEpochMilli() / 1000.0, Math::max);
        if (!first) {
            return;
        }
        Gauge.builder("caravan.sync.last.success.timestamp", lastSuccess, m -> m.getOrDefault(connection, Double.NaN))
                .description("When the last successful job of the connection ended (Unix time)").baseUnit("seconds")
                .tag(CONNECTION, connection).register(registry);
    }

    private Counter counter(String name, String description, String unit, String connection, String stream) {
        return Counter.builder(name).description(description).baseUnit(unit).tags(CONNECTION, connection, STREAM, stream).register(registry);
    }
}
