package dev.caravan.camel.source;

import dev.caravan.camel.CaravanRuntime;
import dev.caravan.engine.BatchRoute;
import dev.caravan.engine.StreamListCheck;
import dev.caravan.engine.StreamPlan;
import dev.caravan.engine.StreamSync;
import dev.caravan.engine.SyncSession;
import dev.caravan.normalize.JsonFlattener;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.SyncMode;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.StreamSyncResult;
import dev.caravan.sync.SyncJob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * The Camel adapter of the sync loop ({@link StreamSync}): runs it for this route's stream when a job asks, sending each
 * batch through the route as one exchange that carries the {@link SyncSession}; one sync of the stream at a time.
 */
public class CaravanSourceConsumer extends DefaultConsumer {
    public static final String HEADER_BATCH_INDEX = "CaravanBatchIndex";
    public static final String HEADER_STREAM = "CaravanStream";
    public static final String HEADER_CONNECTION = "CaravanConnection";
    public static final String HEADER_JOB_ID = "CaravanJobId";
    public static final String HEADER_ATTEMPT = "CaravanAttempt";

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
        StreamSync engine = new StreamSync(runtime.connectors(), runtime.states(),
                ((CaravanSourceComponent) endpoint.getComponent()).readAheadExecutor());
        StreamPlan plan = new StreamPlan(connection(), stream(), endpoint.getSource(), mode, endpoint.fieldList(), endpoint.getCursorField(),
                endpoint.primaryKeyList(), endpoint.getBatchSize(), endpoint.schemaPolicy(), endpoint.isBackfillNewColumns(),
                endpoint.splitReadsSetting());
        // optional normalization: one flattener per stream sync, so every batch of it has the same columns
        JsonFlattener flattener = endpoint.getFlattenJsonDepth() > 0 ? new JsonFlattener(endpoint.getFlattenJsonDepth()) : null;
        StreamSyncResult result = engine.run(job, plan, new BatchRoute() {
            @Override
            public void deliver(SyncSession session, RecordBatch batch, long index) {
                CaravanSourceConsumer.this.deliver(session, flattener == null ? batch : flattener.apply(batch), index);
            }

            @Override
            public boolean running() {
                return isRunAllowed();
            }
        });
        return flattener == null || flattener.notes().isEmpty() ? result : result.withWarnings(flattener.notes());
    }

    /**
     * Looks for streams this route's source offers that it did not offer at the connection's last check, by this route's
     * schema change policy; {@code configured} lists every stream of the connection. See {@link StreamListCheck}.
     */
    public List<SchemaChange> newStreams(SyncJob job, List<String> configured) {
        CaravanRuntime runtime = CaravanRuntime.lookup(getEndpoint().getCamelContext());
        return new StreamListCheck(runtime.connectors(), runtime.states()).check(job, connection(), endpoint.getSource(), endpoint.schemaPolicy(),
                configured);
    }

    /** The source (as applied) this route reads. */
    public String source() {
        return endpoint.getSource();
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
        return StreamSync.failed(connection(), stream(), mode, start, committed, e);
    }

    private static RuntimeException wrap(Exception e) {
        return e instanceof RuntimeException re ? re : new CaravanException(ErrorClassifier.classify(e), ErrorClassifier.message(e), e);
    }
}
