package dev.caravan.camel.source;

import dev.caravan.spi.CaravanException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code caravan-source:<connection>/<stream>?source=<name>&syncMode=...}: reads one stream of a connection. Keeps the
 * {@link StreamRoutes} of the context, which the sync coordinator asks for the streams of a connection.
 */
public class CaravanSourceComponent extends DefaultComponent {
    public static final String SCHEME = "caravan-source";

    private final StreamRoutes streamRoutes = new StreamRoutes();
    private ExecutorService readAhead;

    /** The component of {@code context} (created when no route has used it yet). */
    public static CaravanSourceComponent of(CamelContext context) {
        return context.getComponent(SCHEME, CaravanSourceComponent.class);
    }

    /** The stream routes of each connection, kept as their consumers start and are shut down. */
    public StreamRoutes streamRoutes() {
        return streamRoutes;
    }

    /** Threads that read the next batch of a stream while its current one is written (see {@link ReadAhead}). */
    synchronized ExecutorService readAheadExecutor() {
        if (readAhead == null) {
            readAhead = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this, "caravan-read-ahead");
        }
        return readAhead;
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (readAhead != null) {
                // not shutdownNow: a read that was submitted must still complete, its sync waits for it
                readAhead.shutdown();
                readAhead = null;
            }
        }
        super.doStop();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String[] parts = remaining.split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw CaravanException.config("Endpoint " + uri + ": the path must be <connection>/<stream>, e.g. caravan-source:demo/users");
        }
        CaravanSourceEndpoint endpoint = new CaravanSourceEndpoint(uri, this, parts[0], parts[1]);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
