package dev.caravan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.component.quartz.StatefulCamelJob;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.JobExecutionContextImpl;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;

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

    @Test
    void aFireWhileItsRouteIsBeingAddedNeverCreatesASecondEndpoint() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getComponent("quartz", QuartzComponent.class).setProperties(Schedules.quartzProperties(2));
            context.start();
            QuartzEndpointIndex.install(context);
            String uri = "quartz://caravan/late?cron=0+0+0+1+1+%3F+2099";
            QuartzEndpointIndex.IndexedCamelJob job = new QuartzEndpointIndex.IndexedCamelJob();

            // the route's endpoint is still starting (not registered yet): the fire is skipped, nothing is created
            assertThatThrownBy(() -> job.lookupQuartzEndpoint(context, fire(uri, job))).isInstanceOf(JobExecutionException.class)
                    .hasMessageContaining("not started yet");
            assertThat(context.hasEndpoint(uri)).as("camel-quartz's fallback would have created one").isNull();

            // registered, its route not yet started: the fire gets that endpoint, not a new one
            Endpoint registered = context.getEndpoint(uri);
            assertThat(job.lookupQuartzEndpoint(context, fire(uri, job))).isSameAs(registered);
        }
    }

    private static JobExecutionContext fire(String uri, Job job) {
        JobDetail detail = JobBuilder.newJob(StatefulCamelJob.class).withIdentity("late", "caravan")
                .usingJobData(QuartzConstants.QUARTZ_ENDPOINT_URI, uri).build();
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger().withIdentity("late", "caravan").forJob(detail).build();
        return new JobExecutionContextImpl(null, new TriggerFiredBundle(detail, trigger, null, false, new Date(), null, null, null), job);
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
