package dev.caravan.camel.source;

import dev.caravan.camel.CaravanRuntime;
import dev.caravan.spi.CaravanException;
import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.StreamState;
import dev.caravan.sync.StreamStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/**
 * The index of stream routes the {@code caravan-source} component keeps, in a real Camel context: after every route
 * operation it must list exactly what a scan of the context's routes finds (what the sync coordinator used to do).
 */
class StreamRoutesTest {
    private CamelContext context;
    private StreamRoutes index;

    /** Knows the source "s" only; the index does not read anything. */
    private static final ConnectorResolver RESOLVER = new ConnectorResolver() {
        @Override
        public ResolvedSource source(String name) {
            if (!name.equals("s")) {
                throw CaravanException.config("Source '" + name + "' does not exist");
            }
            return new ResolvedSource(name, null, null);
        }

        @Override
        public ResolvedDestination destination(String name) {
            throw CaravanException.config("no destinations here");
        }
    };

    private static final StreamStateStore NO_STATE = new StreamStateStore() {
        @Override
        public Optional<StreamState> load(String connection, String stream) {
            return Optional.empty();
        }

        @Override
        public void commit(String connection, String stream, StreamState state, long jobId) {
        }
    };

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.getRegistry().bind("caravanRuntime", new CaravanRuntime(RESOLVER, NO_STATE));
        context.start();
        index = CaravanSourceComponent.of(context).streamRoutes();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private void addRoute(String connection, String stream, String source, String mode) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("caravan-source:" + connection + "/" + stream + "?source=" + source + "&syncMode=" + mode)
                        .routeId(connection + "." + stream).process(exchange -> { });
            }
        });
    }

    private void removeRoute(String id) throws Exception {
        context.getRouteController().stopRoute(id);
        assertThat(context.removeRoute(id)).isTrue();
    }

    /** What the coordinator found by scanning every route before the index existed. */
    private List<CaravanSourceConsumer> scan(String connection) {
        return context.getRoutes().stream().map(Route::getConsumer).filter(CaravanSourceConsumer.class::isInstance)
                .map(CaravanSourceConsumer.class::cast).filter(c -> c.connection().equals(connection))
                .sorted(java.util.Comparator.comparing(CaravanSourceConsumer::stream)).toList();
    }

    private CaravanSourceConsumer consumerOf(String routeId) {
        return (CaravanSourceConsumer) context.getRoute(routeId).getConsumer();
    }

    @Test
    void startedRoutesAreListedByConnectionAndRemovedOnesAreForgotten() throws Exception {
        addRoute("demo", "users", "s", "full_refresh_append");
        addRoute("demo", "products", "s", "full_refresh_append");
        addRoute("other", "users", "s", "full_refresh_append");

        assertThat(index.of("demo")).extracting(CaravanSourceConsumer::stream).containsExactly("products", "users");
        assertThat(index.of("demo")).containsExactlyElementsOf(scan("demo"));
        assertThat(index.of("other")).containsExactly(consumerOf("other.users"));
        assertThat(index.connections()).containsExactly("demo", "other");
        assertThat(index.of("nobody")).isEmpty();

        removeRoute("demo.users");
        assertThat(index.of("demo")).containsExactly(consumerOf("demo.products")).containsExactlyElementsOf(scan("demo"));
        removeRoute("other.users");
        assertThat(index.of("other")).isEmpty();
        assertThat(index.connections()).containsExactly("demo");
    }

    @Test
    void aStoppedRouteStaysListedStoppedAndItsRestartListsTheRoutesNewConsumer() throws Exception {
        addRoute("demo", "users", "s", "full_refresh_append");
        CaravanSourceConsumer before = consumerOf("demo.users");

        context.getRouteController().stopRoute("demo.users");
        // As the context keeps a stopped route, so does the index: a job then reports the stream as not started.
        assertThat(index.of("demo")).containsExactly(before).containsExactlyElementsOf(scan("demo"));
        assertThat(before.isRunAllowed()).isFalse();
        assertThat(index.connections()).containsExactly("demo");

        context.getRouteController().startRoute("demo.users");
        CaravanSourceConsumer after = consumerOf("demo.users");
        assertThat(after).as("Camel gives a restarted route a new consumer").isNotSameAs(before);
        assertThat(index.of("demo")).containsExactly(after).containsExactlyElementsOf(scan("demo"));
        assertThat(after.isRunAllowed()).isTrue();

        removeRoute("demo.users");
        assertThat(index.of("demo")).isEmpty();
        assertThat(index.connections()).isEmpty();
    }

    @Test
    void aRouteReloadedWithChangedOptionsIsFoundAgain() throws Exception {
        addRoute("demo", "users", "s", "full_refresh_append");
        // What the route directory watcher does when a file changes: remove its routes, add the new version.
        removeRoute("demo.users");
        addRoute("demo", "users", "s", "full_refresh_overwrite");

        assertThat(index.of("demo")).hasSize(1).containsExactlyElementsOf(scan("demo"));
        assertThat(index.of("demo").get(0).getEndpoint().getSyncMode()).isEqualTo("full_refresh_overwrite");
        assertThat(index.of("demo").get(0).isRunAllowed()).isTrue();
    }

    @Test
    void aRouteThatFailsToStartIsNeverListed() throws Exception {
        addRoute("demo", "users", "s", "full_refresh_append");
        assertThatThrownBy(() -> addRoute("broken", "users", "nope", "full_refresh_append")).hasMessageContaining("Source 'nope' does not exist");

        assertThat(index.of("broken")).isEmpty();
        assertThat(index.connections()).containsExactly("demo");
    }

    @Test
    void aBadSplitReadsParameterIsRefusedNamingItsValueAndFix() {
        assertThatThrownBy(() -> addRoute("demo", "users", "s", "full_refresh_append&splitReads=many"))
                .hasMessageContaining("splitReads").hasMessageContaining("many").hasMessageContaining(dev.caravan.spi.SplitReads.RULE);
        assertThatThrownBy(() -> addRoute("demo", "users", "s", "incremental_append&cursorField=updated_at&splitReads=4"))
                .hasMessageContaining("splitReads").hasMessageContaining("reads in cursor order");
        assertThat(index.of("demo")).isEmpty();
    }

    @Test
    void stoppingTheContextForgetsEveryRoute() throws Exception {
        addRoute("demo", "users", "s", "full_refresh_append");
        addRoute("other", "users", "s", "full_refresh_append");
        context.stop();
        assertThat(index.connections()).isEmpty();
    }

    @Test
    void concurrentStartsAndShutdownsOfOneConnectionLoseNothing() throws Exception {
        CaravanSourceComponent component = CaravanSourceComponent.of(context);
        int threads = 8;
        int perThread = 200;
        List<List<CaravanSourceConsumer>> consumers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CaravanSourceConsumer> own = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                // outside a route a consumer is keyed by its endpoint: one stream each
                CaravanSourceEndpoint endpoint = (CaravanSourceEndpoint) component.createEndpoint("caravan-source:busy/s" + t + "-" + i + "?source=s");
                own.add(new CaravanSourceConsumer(endpoint, exchange -> { }));
            }
            consumers.add(own);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<CaravanSourceConsumer> own : consumers) {
                done.add(pool.submit(() -> {
                    go.await();
                    own.forEach(index::started);
                    // every other one is shut down again while the other threads still add theirs
                    IntStream.range(0, own.size()).filter(i -> i % 2 == 0).forEach(i -> index.shutDown(own.get(i)));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<CaravanSourceConsumer> kept = consumers.stream()
                .flatMap(own -> IntStream.range(0, own.size()).filter(i -> i % 2 == 1).mapToObj(own::get)).toList();
        assertThat(index.of("busy")).hasSize(threads * perThread / 2).containsExactlyInAnyOrderElementsOf(kept);
    }
}
