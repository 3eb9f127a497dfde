package dev.caravan.camel.sync;

import dev.caravan.jobs.SyncRefusedException;
import java.util.Date;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a job of the connection for every exchange and sets its id as the {@value #JOB_ID} header. A skipped trigger
 * (the connection is already running) sets none, and a trigger refused because the server is stopping or the connection
 * is being reset or deleted only logs it. The job's trigger is {@code scheduled} when camel-quartz fired the route, else
 * {@code route:<route id>}.
 */
@UriEndpoint(scheme = CaravanSyncComponent.SCHEME, title = "Caravan sync", syntax = "caravan-sync:connection", producerOnly = true,
        category = Category.SCHEDULING)
public class CaravanSyncEndpoint extends DefaultEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanSyncEndpoint.class);
    public static final String JOB_ID = "CaravanJobId";
    /** camel-quartz sets the trigger's scheduled fire time; the job records it to show the scheduler's lag. */
    static final String QUARTZ_SCHEDULED_FIRE_TIME = "scheduledFireTime";

    @UriPath(description = "The connection to sync (an applied connection)")
    @Metadata(required = true)
    private final String connection;
    @UriParam(defaultValue = "true", description = "Wait until the job has ended (a schedule route's thread waits, so a slow job"
            + " delays that schedule's next fire); false returns as soon as the job has started, e.g. for an HTTP hook")
    private boolean waitForJob = true;

    CaravanSyncEndpoint(String uri, CaravanSyncComponent component, String connection) {
        super(uri, component);
        this.connection = connection;
    }

    public String getConnection() {
        return connection;
    }

    public boolean isWaitForJob() {
        return waitForJob;
    }

    public void setWaitForJob(boolean waitForJob) {
        this.waitForJob = waitForJob;
    }

    @Override
    public CaravanSyncComponent getComponent() {
        return (CaravanSyncComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                Date due = exchange.getMessage().getHeader(QUARTZ_SCHEDULED_FIRE_TIME, Date.class);
                String trigger = due != null ? "scheduled" : "route:" + exchange.getFromRouteId();
                try {
                    var started = getComponent().coordinator().start(connection, trigger, due == null ? null : due.toInstant());
                    started.ifPresent(job -> exchange.getMessage().setHeader(JOB_ID, job.id()));
                    if (waitForJob) {
                        started.ifPresent(job -> job.completion().join());
                    }
                } catch (SyncRefusedException e) {
                    // not a failure of the triggering route: the server is stopping, or the connection is being reset or deleted
                    LOG.info("Sync of {} ({}) not started: {}", connection, trigger, e.getMessage());
                }
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan-sync: can only be used in to()");
    }
}
