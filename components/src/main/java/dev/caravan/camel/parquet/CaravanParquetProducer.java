package dev.caravan.camel.parquet;

import dev.caravan.camel.CaravanRuntime;
import dev.caravan.engine.DestinationStep;
import dev.caravan.engine.SyncSession;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Writes each batch exchange with the writer of its {@link SyncSession}, opened on the first batch of the
 * session; commit and abort belong to the session's owner (the source consumer).
 */
public class CaravanParquetProducer extends DefaultProducer {
    public static final String HEADER_DURABLE = "CaravanDurable";
    private final CaravanParquetEndpoint endpoint;
    private DestinationStep step;

    CaravanParquetProducer(CaravanParquetEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        CaravanRuntime runtime = CaravanRuntime.lookup(getEndpoint().getCamelContext());
        runtime.connectors().destination(endpoint.getDestination());
        step = new DestinationStep(runtime.connectors(), runtime.outputs(), endpoint.getDestination(), endpoint.getNamespace(),
                endpoint.getPrefix(), endpoint.getEndpointUri());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncSession session = exchange.getProperty(SyncSession.EXCHANGE_PROPERTY, SyncSession.class);
        if (session == null) {
            throw new CaravanException(ErrorType.CONFIG, endpoint.getEndpointUri()
                    + " received an exchange that did not come from caravan-source:; only stream routes can write to it");
        }
        boolean durable = step.write(session, exchange.getMessage().getMandatoryBody(RecordBatch.class));
        // Lets later route steps see whether this batch made everything so far durable (its checkpoint commits next).
        exchange.getMessage().setHeader(HEADER_DURABLE, durable);
    }
}
