package dev.caravan.camel.jobs;

import dev.caravan.jobs.JobListener;
import dev.caravan.state.JobRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code caravan-jobs:<connection>}: job events as a Camel consumer. The server adds this component to the listeners of
 * its sync coordinator; each job that ends is handed to the started consumers whose connection and status filter match.
 * See {@link CaravanJobsEndpoint}.
 */
public class CaravanJobsComponent extends DefaultComponent implements JobListener {
    public static final String SCHEME = "caravan-jobs";
    private final List<CaravanJobsConsumer> consumers = new CopyOnWriteArrayList<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CaravanJobsEndpoint endpoint = new CaravanJobsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    void started(CaravanJobsConsumer consumer) {
        consumers.add(consumer);
    }

    void stopped(CaravanJobsConsumer consumer) {
        consumers.remove(consumer);
    }

    @Override
    public void jobEnded(JobRecord job) {
        for (CaravanJobsConsumer consumer : consumers) {
            if (consumer.getEndpoint().matches(job)) {
                consumer.jobEnded(job);
            }
        }
    }
}
