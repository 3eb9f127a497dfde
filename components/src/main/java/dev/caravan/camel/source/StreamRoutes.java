package dev.caravan.camel.source;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The stream routes of each connection: the {@code caravan-source} consumers of the routes the Camel context holds, by
 * connection. Kept by {@link CaravanSourceComponent} as consumers start and are shut down, so that finding the streams of
 * a connection costs the size of the connection, not a scan of every route (2,000 connections have 2,000+ routes).
 *
 * <p>It mirrors {@code context.getRoutes()}: a consumer is added when it starts; a stopped route keeps its (stopped)
 * consumer listed, as the context keeps the route, so a job reports that stream as not started; starting the route again
 * replaces it with the route's new consumer; removing the route (which shuts its consumer down) drops it. A route that
 * fails to start is never listed. Thread-safe; readers never block (copy-on-write per connection).
 */
public final class StreamRoutes {
    private static final Comparator<CaravanSourceConsumer> BY_STREAM = Comparator.comparing(CaravanSourceConsumer::stream)
            .thenComparing(StreamRoutes::key);

    /** connection → route id → the consumer the route has now. */
    private final ConcurrentMap<String, Map<String, CaravanSourceConsumer>> byConnection = new ConcurrentHashMap<>();

    /** A consumer has started: it is its route's consumer from now on (a restarted route has a new one). */
    void started(CaravanSourceConsumer consumer) {
        byConnection.compute(consumer.connection(), (connection, routes) -> {
            Map<String, CaravanSourceConsumer> next = routes == null ? new HashMap<>() : new HashMap<>(routes);
            next.put(key(consumer), consumer);
            return Map.copyOf(next);
        });
    }

    /** A consumer was shut down (its route removed, or the context stopping): forget it unless its route has a newer one. */
    void shutDown(CaravanSourceConsumer consumer) {
        byConnection.computeIfPresent(consumer.connection(), (connection, routes) -> {
            if (routes.get(key(consumer)) != consumer) {
                return routes;
            }
            Map<String, CaravanSourceConsumer> next = new HashMap<>(routes);
            next.remove(key(consumer));
            return next.isEmpty() ? null : Map.copyOf(next);
        });
    }

    /** The stream routes of {@code connection}, started or stopped, by stream name; empty when it has none. */
    public List<CaravanSourceConsumer> of(String connection) {
        Map<String, CaravanSourceConsumer> routes = byConnection.get(connection);
        return routes == null ? List.of() : routes.values().stream().sorted(BY_STREAM).toList();
    }

    /** The connections that have at least one stream route, by name. */
    public Set<String> connections() {
        return new TreeSet<>(byConnection.keySet());
    }

    /** The route id; a consumer outside a route (never the case in a server) is keyed by its endpoint. */
    private static String key(CaravanSourceConsumer consumer) {
        return consumer.getRouteId() != null ? consumer.getRouteId() : consumer.getEndpoint().getEndpointUri();
    }
}
