package dev.caravan.camel.source;

import dev.caravan.camel.CaravanRuntime;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteSummary;
import dev.caravan.sync.ConnectorResolver.ResolvedSource;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.sync.FullRefreshState;
import dev.caravan.sync.ReplayBounds;
import dev.caravan.sync.StreamProgress;
import dev.caravan.sync.StreamState;
import dev.caravan.sync.StreamSyncResult;
import dev.caravan.sync.SyncJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the sync of one stream: loads its committed state, reads batches from the source connector (the next one
 * while the route writes the current one, see {@link ReadAhead}) and sends each through the route as one exchange,
 * then commits the writers the route's producers attached
 * and, only after that, the new state. Any failure aborts the writers and leaves the committed state as is.
 */
public class CaravanSourceConsumer extends DefaultConsumer {
    public static final String HEADER_BATCH_INDEX = "CaravanBatchIndex";
    public static final String HEADER_STREAM = "CaravanStream";
    public static final String HEADER_CONNECTION = "CaravanConnection";
    public static final String HEADER_JOB_ID = "CaravanJobId";
    public static final String HEADER_ATTEMPT = "CaravanAttempt";
    private static final Logger LOG = LoggerFactory.getLogger(CaravanSourceConsumer.class);

    private final CaravanSourceEndpoint endpoint;
    private final ReentrantLock running = new ReentrantLock();

    CaravanSourceConsumer(CaravanSourceEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Fail fast on a route naming a source that does not exist (such a route is never listed).
        CaravanRuntime.lookup(getEndpoint().getCamelContext()).connectors().source(endpoint.getSource());
        streamRoutes().started(this);
    }

    /** Not on stop: a stopped route stays in the context, and a job reports its stream as not started. */
    @Override
    protected void doShutdown() throws Exception {
        streamRoutes().shutDown(this);
        super.doShutdown();
    }

    private StreamRoutes streamRoutes() {
        return ((CaravanSourceComponent) endpoint.getComponent()).streamRoutes();
    }

    @Override
    public CaravanSourceEndpoint getEndpoint() {
        return endpoint;
    }

    public String connection() {
        return endpoint.getConnection();
    }

    public String stream() {
        return endpoint.getStream();
    }

    /** Syncs the stream for {@code job}; never throws for sync failures, they are in the result. */
    public StreamSyncResult sync(SyncJob job) {
        SyncMode mode = endpoint.mode();
        if (!isRunAllowed()) {
            return failed(mode, Map.of(), Map.of(), new CaravanException(ErrorType.CONFIG,
                    "route of stream " + stream() + " is not started; start it (Hawtio, JMX) or fix its route file"));
        }
        if (!running.tryLock()) {
            return failed(mode, Map.of(), Map.of(), new CaravanException(ErrorType.TRANSIENT,
                    "stream " + stream() + " of connection " + connection() + " is already syncing"));
        }
        try {
            return doSync(job, mode);
        } finally {
            running.unlock();
        }
    }

    private StreamSyncResult doSync(SyncJob job, SyncMode mode) {
        CaravanRuntime runtime = CaravanRuntime.lookup(getEndpoint().getCamelContext());
        StreamState start = runtime.states().load(connection(), stream()).orElse(StreamState.INITIAL);
        // A replay reads from its original job's start state, as many records as that job delivered, into a new
        // generation, and leaves the stream's committed position alone.
        ReplayBounds replay = job.replay().get(stream());
        // A full refresh with a primary key reads in key order and commits a keyset checkpoint per durable file, so an
        // interrupted run continues where it stopped; a completed run clears it. Without a key it restarts from zero.
        boolean resumable = replay == null && !mode.incremental() && !endpoint.primaryKeyList().isEmpty();
        long completedRuns = FullRefreshState.completedRuns(start.state());
        Map<String, Object> readFrom = replay != null ? FullRefreshState.isFullRefresh(replay.startState())
                        ? FullRefreshState.resumeAfter(replay.startState()) : replay.startState()
                : mode.incremental() ? (FullRefreshState.isFullRefresh(start.state()) ? Map.of() : start.state())
                : resumable ? FullRefreshState.resumeAfter(start.state()) : Map.of();
        // shown on the job's stream (API, CLI): it explains the record count
        List<String> notes = new ArrayList<>();
        if (resumable && !readFrom.isEmpty()) {
            notes.add("This full refresh resumed an interrupted run after " + readFrom + ": it read only the rest of the stream.");
        } else if (replay == null && !mode.incremental() && endpoint.primaryKeyList().isEmpty()) {
            notes.add("Stream " + stream() + " has no primary key: a full refresh reads it from the beginning, and an interrupted run "
                    + "restarts from zero. Fix: set the stream's primary_key to make it resumable.");
        }
        notes.forEach(note -> LOG.info("Sync of {}/{}: {}", connection(), stream(), note));
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
        SyncSession session = new SyncSession(job, stream(), writeMode, endpoint.primaryKeyList(), generation, sessionStart);
        String sourceConnector = null;
        try {
            ResolvedSource source = runtime.connectors().source(endpoint.getSource());
            sourceConnector = source.label();
            ReadRequest request = new ReadRequest(stream(), endpoint.fieldList(), mode, endpoint.getCursorField(),
                    endpoint.primaryKeyList(), readFrom, endpoint.getBatchSize());
            Map<String, Object> reached = sessionStart;
            List<String> warnings;
            try (StreamReader reader = source.connector().read(source.config(), request);
                 ReadAhead ahead = new ReadAhead(reader, ((CaravanSourceComponent) endpoint.getComponent()).readAheadExecutor())) {
                long index = 0;
                RecordBatch batch;
                while (delivered < limit && (batch = nextUnlessStopped(ahead, job, replay != null)) != null) {
                    if (batch.size() > limit - delivered) {
                        batch = new RecordBatch(batch.schema(), batch.rows().subList(0, (int) (limit - delivered)), batch.checkpoint(), batch.changes());
                    }
                    if (resumable) {
                        batch = new RecordBatch(batch.schema(), batch.rows(), FullRefreshState.inProgress(completedRuns, batch.checkpoint()), batch.changes());
                    }
                    deliver(session, batch, index++);
                    job.progress().batchDelivered(stream(), batch.size());
                    delivered += batch.size();
                    reached = batch.checkpoint();
                    if (replay == null && (mode.incremental() || resumable) && session.lastBatchDurable()) {
                        // once per published file: the job's history row keeps what is durable if the server dies now
                        WriteSummary published = session.published();
                        runtime.states().commit(connection(), stream(), new StreamState(reached, generation), job.jobId(),
                                new StreamProgress(job.attempt(), mode.configName(), start.state(), delivered, published.bytes(), published.files().size()));
                        committed = reached;
                        committedRecords = delivered;
                        committedFiles = published;
                        session.checkpointCommitted();
                    }
                }
                if (index == 0) {
                    // Nothing new: still pass one empty batch so writers run their commit (overwrite empties the stream).
                    deliver(session, new RecordBatch(reader.schema(), List.of(), sessionStart), 0);
                }
                warnings = new ArrayList<>(notes);
                warnings.addAll(reader.warnings());
                reader.warnings().forEach(warning -> LOG.warn("Sync of {}/{}: {}", connection(), stream(), warning));
            }
            Map<String, Object> end = replay != null ? start.state() : mode.incremental() ? reached
                    : resumable ? FullRefreshState.inProgress(completedRuns + 1, Map.of()) : Map.of();
            WriteSummary written = session.commit(summary -> runtime.states().commit(connection(), stream(), new StreamState(end, generation),
                    job.jobId(), new StreamProgress(job.attempt(), mode.configName(), start.state(), summary.records(), summary.bytes(),
                            summary.files().size())));
            return new StreamSyncResult(stream(), mode, true, written.records(), written.bytes(), written.files().size(),
                    start.state(), end, null, null, written.rowsWithChanges(), warnings).withConnectors(connectors(sourceConnector, session));
        } catch (RuntimeException e) {
            session.abort();
            return failed(mode, start.state(), committed, committedRecords, committedFiles, e).withConnectors(connectors(sourceConnector, session));
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
    private RecordBatch nextUnlessStopped(ReadAhead ahead, SyncJob job, boolean replay) {
        if (job.stopReason() == SyncJob.StopReason.CANCELLED) {
            throw new CaravanException(ErrorType.CONFIG, "job " + job.jobId() + " was cancelled");
        }
        if (job.stopReason() == SyncJob.StopReason.SERVER_STOPPING) {
            throw new CaravanException(ErrorType.TRANSIENT, "job " + job.jobId() + " was interrupted: the server is stopping; "
                    + "the stream resumes from its last committed checkpoint at the next sync");
        }
        if (!isRunAllowed()) {
            throw new CaravanException(ErrorType.TRANSIENT, "the route of stream " + stream() + " was stopped during the sync (its route file "
                    + "changed or was removed, or the server is stopping); the stream resumes from its last committed checkpoint");
        }
        return ahead.next(!replay);
    }

    private void deliver(SyncSession session, RecordBatch batch, long index) {
        Exchange exchange = createExchange(false);
        try {
            exchange.setProperty(SyncSession.EXCHANGE_PROPERTY, session);
            exchange.getMessage().setHeader(HEADER_CONNECTION, connection());
            exchange.getMessage().setHeader(HEADER_STREAM, stream());
            exchange.getMessage().setHeader(HEADER_JOB_ID, session.job().jobId());
            exchange.getMessage().setHeader(HEADER_ATTEMPT, session.job().attempt());
            exchange.getMessage().setHeader(HEADER_BATCH_INDEX, index);
            exchange.getMessage().setBody(batch);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw wrap(exchange.getException());
            }
        } catch (Exception e) {
            throw wrap(e);
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private StreamSyncResult failed(SyncMode mode, Map<String, Object> start, Map<String, Object> committed, Exception e) {
        return failed(mode, start, committed, 0, new WriteSummary(0, 0, List.of()), e);
    }

    /**
     * A failed sync; {@code committedRecords} rows, in the bytes and files of {@code committedFiles}, were durably written
     * (and their state committed) before the failure.
     */
    private StreamSyncResult failed(SyncMode mode, Map<String, Object> start, Map<String, Object> committed, long committedRecords,
                                    WriteSummary committedFiles, Exception e) {
        ErrorType type = ErrorClassifier.classify(e);
        String message = ErrorClassifier.message(e);
        if (type == ErrorType.SYSTEM) {
            LOG.error("Sync of {}/{} failed: {}", connection(), stream(), message, e);
        } else {
            LOG.warn("Sync of {}/{} failed ({} error): {}", connection(), stream(), type, message);
        }
        return new StreamSyncResult(stream(), mode, false, committedRecords, committedFiles.bytes(), committedFiles.files().size(), start,
                committed, type, message);
    }

    private static RuntimeException wrap(Exception e) {
        return e instanceof RuntimeException re ? re : new CaravanException(ErrorClassifier.classify(e), ErrorClassifier.message(e), e);
    }
}
