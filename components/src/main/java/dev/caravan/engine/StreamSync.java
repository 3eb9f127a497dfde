package dev.caravan.engine;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.Field;
import dev.caravan.spi.Schema;
import dev.caravan.sync.StreamSchema;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SplitReads;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteSummary;
import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.ConnectorResolver.ResolvedSource;
import dev.caravan.spi.FullRefreshState;
import dev.caravan.sync.ReplayBounds;
import dev.caravan.sync.StreamProgress;
import dev.caravan.sync.StreamState;
import dev.caravan.sync.StreamStateStore;
import dev.caravan.sync.StreamSyncResult;
import dev.caravan.sync.SyncJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync loop of one stream, free of Camel: loads the committed state, reads batches from the source connector (the
 * next one while the current one is delivered, see {@link ReadAhead}), hands each to a {@link BatchRoute}, commits a
 * checkpoint each time the route's destination steps made everything so far durable, then commits the writers and,
 * only after that, the final state. Any failure aborts the writers and leaves the committed state as it was.
 */
public final class StreamSync {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSync.class);

    private final ConnectorResolver connectors;
    private final StreamStateStore states;
    private final ExecutorService readAhead;

    public StreamSync(ConnectorResolver connectors, StreamStateStore states, ExecutorService readAhead) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.states = Objects.requireNonNull(states, "states");
        this.readAhead = Objects.requireNonNull(readAhead, "readAhead");
    }

    /** Syncs the stream of {@code plan} for {@code job}, handing each batch to {@code route}; never throws for sync failures. */
    public StreamSyncResult run(SyncJob job, StreamPlan plan, BatchRoute route) {
        SyncMode mode = plan.mode();
        String connection = plan.connection();
        String stream = plan.stream();
        StreamState start = states.load(connection, stream).orElse(StreamState.INITIAL);
        // A replay reads from its original job's start state, as many records as that job delivered, into a new
        // generation, and leaves the stream's committed position alone.
        ReplayBounds replay = job.replay().get(stream);
        // Once per source per job: has the stream's schema changed since its last sync, and what does this sync do about it?
        Checked checked;
        try {
            checked = checkSchema(job, plan, replay != null);
        } catch (RuntimeException e) {
            return failed(connection, stream, mode, start.state(), start.state(), e);
        }
        SchemaResolution schema = checked.resolution();
        if (schema.stops()) {
            return failed(connection, stream, mode, start.state(), start.state(), new CaravanException(ErrorType.CONFIG, schema.stopMessage()))
                    .withSchemaChanges(schema.changes());
        }
        NullColumns nullColumns = new NullColumns(schema.padded());
        // A full refresh with a primary key reads in key order and commits a keyset checkpoint per durable file, so an
        // interrupted run continues where it stopped; a completed run clears it. Without a key it restarts from zero.
        boolean resumable = replay == null && !mode.incremental() && !plan.primaryKey().isEmpty();
        long completedRuns = FullRefreshState.completedRuns(start.state());
        Map<String, Object> readFrom = replay != null ? FullRefreshState.isFullRefresh(replay.startState())
                        ? FullRefreshState.resumeAfter(replay.startState()) : replay.startState()
                : mode.incremental() ? (schema.backfill() || FullRefreshState.isFullRefresh(start.state()) ? Map.of() : start.state())
                : resumable ? FullRefreshState.resumeAfter(start.state()) : Map.of();
        // shown on the job's stream (API, CLI): it explains the record count
        List<String> notes = new ArrayList<>(schema.notes());
        if (resumable && !readFrom.isEmpty()) {
            notes.add("This full refresh resumed an interrupted run after " + readFrom + ": it read only the rest of the stream.");
        } else if (replay == null && !mode.incremental() && plan.primaryKey().isEmpty()) {
            notes.add("Stream " + stream + " has no primary key: a full refresh reads it from the beginning, and an interrupted run "
                    + "restarts from zero. Fix: set the stream's primary_key to make it resumable.");
        }
        notes.forEach(note -> LOG.info("Sync of {}/{}: {}", connection, stream, note));
        // what the writer and the state store see: the source's checkpoints, for a resumable full refresh within its run
        Map<String, Object> sessionStart = resumable ? FullRefreshState.inProgress(completedRuns, readFrom) : readFrom;
        long limit = replay != null ? replay.records() : Long.MAX_VALUE;
        // A new overwrite is a new generation; a resumed one continues the generation its checkpoints were committed in.
        boolean resumesGeneration = resumable && mode == SyncMode.FULL_REFRESH_OVERWRITE && !readFrom.isEmpty();
        long generation = replay != null || mode == SyncMode.FULL_REFRESH_OVERWRITE && !resumesGeneration
                ? start.generationId() + 1 : start.generationId();
        Map<String, Object> committed = start.state();
        long delivered = 0;
        long committedRecords = 0;
        WriteSummary committedFiles = new WriteSummary(0, 0, List.of());
        // A replay writes like a full refresh append: its files stay staged until the end (a failed replay leaves
        // nothing), never replace a generation, and the destination treats its rows as committed already.
        SyncMode writeMode = replay != null ? SyncMode.FULL_REFRESH_APPEND : mode;
        SyncSession session = new SyncSession(job, stream, writeMode, plan.primaryKey(), generation, sessionStart);
        String sourceConnector = null;
        try {
            ResolvedSource source = connectors.source(plan.source());
            sourceConnector = source.label();
            // a replay stops at a record count: it reads in key order (not split), so that it stops at the same row
            ReadRequest request = new ReadRequest(stream, schema.readFields(), mode, plan.cursorField(),
                    plan.primaryKey(), readFrom, plan.batchSize(), replay != null ? SplitReads.OFF : plan.splitReads());
            Map<String, Object> reached = sessionStart;
            List<String> warnings;
            Schema written;
            try (StreamReader reader = source.connector().read(source.config(), request);
                 ReadAhead ahead = new ReadAhead(reader, readAhead)) {
                long index = 0;
                RecordBatch batch;
                written = nullColumns.apply(reader.schema());
                while (delivered < limit && (batch = nextUnlessStopped(ahead, job, replay != null, route, stream)) != null) {
                    if (batch.size() > limit - delivered) {
                        batch = new RecordBatch(batch.schema(), batch.rows().subList(0, (int) (limit - delivered)), batch.checkpoint(), batch.changes());
                    }
                    batch = nullColumns.apply(batch);
                    written = batch.schema();
                    if (resumable) {
                        batch = new RecordBatch(batch.schema(), batch.rows(), FullRefreshState.inProgress(completedRuns, batch.checkpoint()), batch.changes());
                    }
                    route.deliver(session, batch, index++);
                    job.progress().batchDelivered(stream, batch.size());
                    delivered += batch.size();
                    reached = batch.checkpoint();
                    if (replay == null && (mode.incremental() || resumable) && session.lastBatchDurable()) {
                        // once per published file: the job's history row keeps what is durable if the server dies now
                        WriteSummary published = session.published();
                        states.commit(connection, stream, new StreamState(reached, generation), job.jobId(),
                                new StreamProgress(job.attempt(), mode.configName(), start.state(), delivered, published.bytes(), published.files().size()));
                        committed = reached;
                        committedRecords = delivered;
                        committedFiles = published;
                        session.checkpointCommitted();
                    }
                }
                if (index == 0) {
                    // Nothing new: still pass one empty batch so writers run their commit (overwrite empties the stream).
                    route.deliver(session, new RecordBatch(written, List.of(), sessionStart), 0);
                }
                warnings = new ArrayList<>(notes);
                warnings.addAll(reader.warnings());
                reader.warnings().forEach(warning -> LOG.warn("Sync of {}/{}: {}", connection, stream, warning));
            }
            Map<String, Object> end = replay != null ? start.state() : mode.incremental() ? reached
                    : resumable ? FullRefreshState.inProgress(completedRuns + 1, Map.of()) : Map.of();
            WriteSummary done = session.commit(summary -> states.commit(connection, stream, new StreamState(end, generation),
                    job.jobId(), new StreamProgress(job.attempt(), mode.configName(), start.state(), summary.records(), summary.bytes(),
                            summary.files().size())));
            if (replay == null) {
                saveSchema(plan, written, checked.discovered(), schema);
            }
            if (done.rowsWithChanges() > 0) {
                warnings = new ArrayList<>(warnings);
                warnings.add(done.rowsWithChanges() + " record(s) were written with changes listed in their _airbyte_meta "
                        + "(values nulled or truncated because the source gave them in a form their column cannot hold)");
            }
            return new StreamSyncResult(stream, mode, true, done.records(), done.bytes(), done.files().size(),
                    start.state(), end, null, null, done.rowsWithChanges(), warnings).withConnectors(connectors(sourceConnector, session))
                    .withSchemaChanges(schema.changes());
        } catch (RuntimeException e) {
            session.abort();
            return failed(connection, stream, mode, start.state(), committed, committedRecords, committedFiles, e).withConnectors(connectors(sourceConnector, session))
                    .withSchemaChanges(schema.changes());
        }
    }

    /** What detection decided, with the stream as discovered (empty when not discovered or not offered). */
    private record Checked(SchemaResolution resolution, Optional<CatalogStream> discovered) {
    }

    private Checked checkSchema(SyncJob job, StreamPlan plan, boolean replay) {
        if (replay) {
            return new Checked(SchemaResolution.none(plan.fields(), List.of()), Optional.empty());
        }
        Optional<StreamSchema> baseline = states.schema(plan.connection(), plan.stream());
        ResolvedSource source = connectors.source(plan.source());
        Catalog catalog;
        try {
            catalog = job.catalogs().of(plan.source(), () -> source.connector().discover(source.config()));
        } catch (RuntimeException e) {
            if (baseline.isPresent()) {
                // not read unchecked: the policy could not be applied (a transient failure is retried like a failed read)
                throw new CaravanException(ErrorClassifier.classify(e), "schema change detection needs the source's catalog, and discover of "
                        + plan.source() + " failed: " + ErrorClassifier.message(e), e);
            }
            String note = "Schema change detection starts at a later sync: discover of source " + plan.source() + " failed: "
                    + ErrorClassifier.message(e);
            LOG.warn("Sync of {}/{}: {}", plan.connection(), plan.stream(), note);
            return new Checked(SchemaResolution.none(plan.fields(), List.of(note)), Optional.empty());
        }
        Optional<CatalogStream> discovered = catalog.stream(plan.stream());
        if (baseline.isEmpty() && discovered.isEmpty()) {
            // a stream discover does not list (some sources read more than they list): nothing to compare, now or later
            return new Checked(SchemaResolution.none(plan.fields(), List.of()), discovered);
        }
        return new Checked(SchemaCheck.resolve(plan, baseline, discovered), discovered);
    }

    /**
     * Records what this sync wrote as the stream's baseline: the types as discover reports them (what the next sync
     * compares with), the columns kept as null, the source's key and the connection's field selection; nothing when the
     * stream was not discovered. The data and state are committed already; a failure here only means the next sync
     * compares with the older baseline again.
     */
    private void saveSchema(StreamPlan plan, Schema written, Optional<CatalogStream> discovered, SchemaResolution schema) {
        if (written == null || discovered.isEmpty()) {
            // without what discover says there is nothing the next sync could compare with
            return;
        }
        List<String> removed = schema.padded().stream().map(Field::name).toList();
        List<Field> fields = new ArrayList<>();
        for (Field field : written.fields()) {
            Optional<Field> reported = removed.contains(field.name()) ? Optional.empty()
                    : discovered.flatMap(d -> d.schema().field(field.name()));
            fields.add(reported.orElse(field));
        }
        List<String> key = discovered.get().primaryKey();
        try {
            states.saveSchema(plan.connection(), plan.stream(), new StreamSchema(fields, removed, key, plan.fields()));
        } catch (RuntimeException e) {
            LOG.warn("Could not record the schema of {}/{} (the next sync compares with the one before): {}", plan.connection(), plan.stream(),
                    e.getMessage());
        }
    }

    /** {@code source -> destination[, destination]}, each connector with its version; null when the source was not reached. */
    private static String connectors(String source, SyncSession session) {
        if (source == null) {
            return null;
        }
        List<String> destinations = session.destinationConnectors();
        return destinations.isEmpty() ? source : source + " -> " + String.join(", ", destinations);
    }

    /** The next batch; the one after it is read meanwhile, except in a replay (which stops at a record count). */
    private static RecordBatch nextUnlessStopped(ReadAhead ahead, SyncJob job, boolean replay, BatchRoute route, String stream) {
        if (job.stopReason() == SyncJob.StopReason.CANCELLED) {
            throw new CaravanException(ErrorType.CONFIG, "job " + job.jobId() + " was cancelled");
        }
        if (job.stopReason() == SyncJob.StopReason.SERVER_STOPPING) {
            throw new CaravanException(ErrorType.TRANSIENT, "job " + job.jobId() + " was interrupted: the server is stopping; "
                    + "the stream resumes from its last committed checkpoint at the next sync");
        }
        if (!route.running()) {
            throw new CaravanException(ErrorType.TRANSIENT, "the route of stream " + stream + " was stopped during the sync (its route file "
                    + "changed or was removed, or the server is stopping); the stream resumes from its last committed checkpoint");
        }
        return ahead.next(!replay);
    }

    /** A stream that failed before anything was written, e.g. because it could not start. */
    public static StreamSyncResult failed(String connection, String stream, SyncMode mode, Map<String, Object> start,
                                          Map<String, Object> committed, Exception e) {
        return failed(connection, stream, mode, start, committed, 0, new WriteSummary(0, 0, List.of()), e);
    }

    /**
     * A failed sync; {@code committedRecords} rows, in the bytes and files of {@code committedFiles}, were durably written
     * (and their state committed) before the failure.
     */
    private static StreamSyncResult failed(String connection, String stream, SyncMode mode, Map<String, Object> start,
                                           Map<String, Object> committed, long committedRecords,
                                    WriteSummary committedFiles, Exception e) {
        ErrorType type = ErrorClassifier.classify(e);
        String message = ErrorClassifier.message(e);
        if (type == ErrorType.SYSTEM) {
            LOG.error("Sync of {}/{} failed: {}", connection, stream, message, e);
        } else {
            LOG.warn("Sync of {}/{} failed ({} error): {}", connection, stream, type, message);
        }
        return new StreamSyncResult(stream, mode, false, committedRecords, committedFiles.bytes(), committedFiles.files().size(), start,
                committed, type, message);
    }
}
