package dev.caravan.camel.parquet;

import dev.caravan.camel.CaravanRuntime;
import dev.caravan.camel.source.SyncSession;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.WriteRequest;
import dev.caravan.sync.ConnectorResolver.ResolvedDestination;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Writes each batch exchange with the writer of its {@link SyncSession}, opened on the first batch of the
 * session; commit and abort belong to the session's owner (the source consumer).
 */
public class CaravanParquetProducer extends DefaultProducer {
    public static final String HEADER_DURABLE = "CaravanDurable";
    private final CaravanParquetEndpoint endpoint;

    CaravanParquetProducer(CaravanParquetEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        CaravanRuntime.lookup(getEndpoint().getCamelContext()).connectors().destination(endpoint.getDestination());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncSession session = exchange.getProperty(SyncSession.EXCHANGE_PROPERTY, SyncSession.class);
        if (session == null) {
            throw new CaravanException(ErrorType.CONFIG, endpoint.getEndpointUri()
                    + " received an exchange that did not come from caravan-source:; only stream routes can write to it");
        }
        RecordBatch batch = exchange.getMessage().getMandatoryBody(RecordBatch.class);
        StreamWriter writer = session.writer(endpoint.getEndpointUri(), () -> open(session, batch));
        boolean durable = writer.write(batch);
        session.batchWritten(endpoint.getEndpointUri(), durable);
        // Lets later route steps see whether this batch made everything so far durable (its checkpoint commits next).
        exchange.getMessage().setHeader(HEADER_DURABLE, durable);
    }

    private StreamWriter open(SyncSession session, RecordBatch first) {
        CaravanRuntime runtime = CaravanRuntime.lookup(getEndpoint().getCamelContext());
        runtime.outputs().check(session.job().connection(), session.stream(), endpoint.getDestination(), endpoint.getNamespace(), endpoint.getPrefix());
        ResolvedDestination destination = runtime.connectors().destination(endpoint.getDestination());
        if (!destination.connector().supportedSyncModes().contains(session.syncMode())) {
            throw new CaravanException(ErrorType.CONFIG, "Destination '" + destination.name() + "' (" + destination.connector().spec().name()
                    + ") does not support sync mode " + session.syncMode() + "; use one of " + destination.connector().supportedSyncModes());
        }
        WriteRequest request = new WriteRequest(session.job().connection(), session.stream(), endpoint.getNamespace(), endpoint.getPrefix(),
                session.syncMode(), first.schema(), session.primaryKey(), session.job().jobId(), session.job().attempt(),
                session.generationId(), session.job().startedAt(), session.startState(), session.job().isReplay());
        session.destinationConnector(destination.label());
        return destination.connector().open(destination.config(), request);
    }
}
