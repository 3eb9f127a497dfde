package dev.caravan.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.quartz.TriggerKey;

/** Quartz fires reach the routes through the index, also after a route is replaced or removed. */
class QuartzEndpointIndexTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void firesReachTheCurrentRouteOfATriggerAndTheIndexFollowsRouteChanges() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getComponent("quartz", QuartzComponent.class).setProperties(Schedules.quartzProperties(2));
            context.start(); // as in the server: installed into a started context
            QuartzEndpointIndex index = QuartzEndpointIndex.install(context);

            AtomicInteger first = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            context.addRoutes(route("first", "a", first));
            context.addRoutes(route("other", "b", other));
            awaitAtLeast(first::get, 2);
            awaitAtLeast(other::get, 2);
            assertThat(index.resolvedFires()).as("fires found their endpoint in the index").isGreaterThanOrEqualTo(4);
            Endpoint firstEndpoint = context.getRoute("first").getEndpoint();
            assertThat(index.find(TriggerKey.triggerKey("a", "caravan"))).isSameAs(firstEndpoint);
            assertThat(index.find(TriggerKey.triggerKey("b", "caravan"))).isSameAs(context.getRoute("other").getEndpoint());

            // the route of trigger "a" is replaced (a reloaded route file): fires go to the new route only
            context.getRouteController().stopRoute("first");
            context.removeRoute("first");
            assertThat(index.find(TriggerKey.triggerKey("a", "caravan"))).isNull();
            int firedBefore = first.get();
            AtomicInteger replacement = new AtomicInteger();
            context.addRoutes(route("replacement", "a", replacement));
            awaitAtLeast(replacement::get, 2);
            assertThat(first.get()).as("the removed route gets no more fires").isEqualTo(firedBefore);
            assertThat(index.find(TriggerKey.triggerKey("a", "caravan"))).isSameAs(context.getRoute("replacement").getEndpoint())
                    .isNotSameAs(firstEndpoint);
            assertThat(index.find(TriggerKey.triggerKey("unknown", "caravan"))).isNull();
        }
    }

    /** Stateful, as the generated schedule routes are. */
    private static RouteBuilder route(String id, String trigger, AtomicInteger fired) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("quartz:caravan/" + trigger + "?trigger.repeatInterval=50&trigger.repeatCount=-1&stateful=true").routeId(id)
                        .process(exchange -> fired.incrementAndGet());
            }
        };
    }

    private static void awaitAtLeast(IntSupplier count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (count.getAsInt() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count.getAsInt()).isGreaterThanOrEqualTo(expected);
    }
}
