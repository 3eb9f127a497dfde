package dev.caravan.camel.sync;

import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.jobs.SyncRefusedException;
import java.util.Date;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code caravan-sync:<connection>}: starts a job of the connection (the end of a schedule route). The job's
 * id is set as the {@code CaravanJobId} header; a skipped trigger (connection already running) sets none, and a trigger
 * refused because the server is stopping or the connection is being reset or deleted only logs it.
 */
public class CaravanSyncComponent extends DefaultComponent {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanSyncComponent.class);
    static final String QUARTZ_SCHEDULED_FIRE_TIME = "scheduledFireTime";
    private final SyncCoordinator coordinator;

    public CaravanSyncComponent(SyncCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SyncEndpoint(uri, this, remaining);
    }

    private final class SyncEndpoint extends DefaultEndpoint {
        private final String connection;

        SyncEndpoint(String uri, CaravanSyncComponent component, String connection) {
            super(uri, component);
            this.connection = connection;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) {
                    // camel-quartz sets the trigger's scheduled fire time; the job records it to show the scheduler's lag
                    Date due = exchange.getMessage().getHeader(QUARTZ_SCHEDULED_FIRE_TIME, Date.class);
                    try {
                        coordinator.sync(connection, "scheduled", due == null ? null : due.toInstant())
                                .ifPresent(job -> exchange.getMessage().setHeader("CaravanJobId", job.id()));
                    } catch (SyncRefusedException e) {
                        // not a failure of the schedule route: the server is stopping, or the connection is being reset or deleted
                        LOG.info("Scheduled sync of {} not started: {}", connection, e.getMessage());
                    }
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("caravan-sync: can only be used in to()");
        }
    }
}
