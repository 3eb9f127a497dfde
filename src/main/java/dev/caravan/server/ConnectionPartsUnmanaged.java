package dev.caravan.server;

import dev.caravan.service.Schedules;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Producer;
import org.apache.camel.management.DefaultManagementObjectStrategy;

/**
 * Camel's management objects, minus the endpoint, consumer and producer MBeans of the generated connection routes.
 *
 * <p>A connection has two routes (its schedule and its stream), and Camel gives each of their four endpoints, two
 * consumers and two producers an MBean of its own: a third of the JMX heap of a connection (~0.1 MB, 40 MB at 2,000
 * connections), for views that repeat the route statistics. The routes, their group and the connection's own MBean
 * stay: Hawtio shows and controls every connection as before. The filter is by endpoint: a hand-written route's
 * {@code caravan-source}, {@code caravan-parquet} and {@code caravan-sync} endpoints get no MBeans either; its other
 * endpoints (and Quartz triggers outside the {@code caravan} group) are managed as usual.
 */
final class ConnectionPartsUnmanaged extends DefaultManagementObjectStrategy {
    /** The endpoints of generated connection routes: the stream's source and destination, the schedule and its trigger. */
    static boolean isConnectionPart(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        return uri.startsWith("caravan-source:") || uri.startsWith("caravan-parquet:") || uri.startsWith("caravan-sync:")
                || uri.startsWith("quartz://" + Schedules.GROUP + "/");
    }

    @Override
    public Object getManagedObjectForEndpoint(CamelContext context, Endpoint endpoint) {
        return isConnectionPart(endpoint) ? null : super.getManagedObjectForEndpoint(context, endpoint);
    }

    @Override
    public Object getManagedObjectForConsumer(CamelContext context, Consumer consumer) {
        return isConnectionPart(consumer.getEndpoint()) ? null : super.getManagedObjectForConsumer(context, consumer);
    }

    @Override
    public Object getManagedObjectForProducer(CamelContext context, Producer producer) {
        return isConnectionPart(producer.getEndpoint()) ? null : super.getManagedObjectForProducer(context, producer);
    }
}
