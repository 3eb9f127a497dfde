package dev.caravan.camel.sync;

import dev.caravan.jobs.SyncCoordinator;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code caravan-sync:<connection>}: starts a job of the connection (the end of a schedule route, or of any route that
 * triggers a sync, e.g. an HTTP hook). See {@link CaravanSyncEndpoint}.
 */
public class CaravanSyncComponent extends DefaultComponent {
    public static final String SCHEME = "caravan-sync";
    private final SyncCoordinator coordinator;

    public CaravanSyncComponent(SyncCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    SyncCoordinator coordinator() {
        return coordinator;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CaravanSyncEndpoint endpoint = new CaravanSyncEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
