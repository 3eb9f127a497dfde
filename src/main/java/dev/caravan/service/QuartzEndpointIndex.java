package dev.caravan.service;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.CamelJob;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.component.quartz.StatefulCamelJob;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Finds the Quartz endpoint of a fired trigger in a map rebuilt (once) after routes change, instead of camel-quartz's
 * scan of every route on each fire, which copies the context's route list under its lock: with 2,000 scheduled
 * connections (6,000 routes) the Quartz threads spent most of their time waiting there and fell seconds behind their
 * triggers. The Quartz properties name {@link JobFactory} as the scheduler's job factory; its jobs find the index in
 * the registry of their Camel context. A trigger the index does not know (its route is being added) gets the context's
 * endpoint of its URI if there is one, else that fire is skipped: camel-quartz's fallback would create a second endpoint.
 */
public final class QuartzEndpointIndex extends SimpleEventNotifierSupport {
    static final String REGISTRY_NAME = "caravanQuartzEndpointIndex";
    private final CamelContext context;
    private final AtomicLong routeChanges = new AtomicLong();
    private final LongAdder resolvedFires = new LongAdder();
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of());

    private record Snapshot(long version, Map<TriggerKey, QuartzEndpoint> endpoints) {
    }

    QuartzEndpointIndex(CamelContext context) {
        this.context = context;
        // route events only: exchanges must not create event objects for it
        setIgnoreExchangeEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
    }

    /**
     * Installs the index in a started context: in its registry, for the jobs of {@link JobFactory}, and as its event
     * notifier (Camel decides at start whether to emit events at all, so this turns them on).
     */
    public static QuartzEndpointIndex install(CamelContext context) {
        QuartzEndpointIndex index = new QuartzEndpointIndex(context);
        context.getManagementStrategy().addEventNotifier(index);
        index.start();
        context.getCamelContextExtension().setEventNotificationApplicable(true);
        context.getRegistry().bind(REGISTRY_NAME, index);
        return index;
    }

    /** The started schedule route's endpoint whose trigger is {@code key}, if any. */
    QuartzEndpoint find(TriggerKey key) {
        long version = routeChanges.get();
        Snapshot current = snapshot;
        if (current.version() != version) {
            current = rebuild(version);
        }
        return current.endpoints().get(key);
    }

    private synchronized Snapshot rebuild(long version) {
        if (snapshot.version() == version) {
            return snapshot;
        }
        Map<TriggerKey, QuartzEndpoint> endpoints = new HashMap<>();
        for (Route route : context.getRoutes()) {
            Endpoint endpoint = route.getEndpoint();
            if (endpoint instanceof DelegateEndpoint delegate) {
                endpoint = delegate.getEndpoint();
            }
            if (endpoint instanceof QuartzEndpoint quartz && quartz.getTriggerKey() != null) {
                endpoints.put(quartz.getTriggerKey(), quartz);
            }
        }
        // a change during the scan bumped the counter past version: the next lookup scans again
        snapshot = new Snapshot(version, Map.copyOf(endpoints));
        return snapshot;
    }

    /** Fires whose endpoint came from the index. */
    long resolvedFires() {
        return resolvedFires.sum();
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        routeChanges.incrementAndGet();
    }

    /** Creates camel-quartz's jobs with the index lookup; named by {@code org.quartz.scheduler.jobFactory.class}. */
    public static final class JobFactory extends PropertySettingJobFactory {
        @Override
        public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
            // the generated schedule routes are stateful (StatefulCamelJob): Quartz reads that from the job's detail,
            // not from the instance, so one job class serves both
            Class<?> type = bundle.getJobDetail().getJobClass();
            if (type == CamelJob.class || type == StatefulCamelJob.class) {
                return new IndexedCamelJob();
            }
            return super.newJob(bundle, scheduler);
        }
    }

    static final class IndexedCamelJob extends CamelJob {
        @Override
        protected QuartzEndpoint lookupQuartzEndpoint(CamelContext camelContext, JobExecutionContext quartzContext)
                throws JobExecutionException {
            QuartzEndpointIndex index = camelContext.getRegistry().lookupByNameAndType(REGISTRY_NAME, QuartzEndpointIndex.class);
            if (index == null) {
                return super.lookupQuartzEndpoint(camelContext, quartzContext);
            }
            TriggerKey key = quartzContext.getTrigger().getKey();
            QuartzEndpoint endpoint = index.find(key);
            if (endpoint == null) {
                // a trigger that fires while its route is being added: never let camel-quartz create a second endpoint for
                // it (that fails on the trigger key in use, and its clean-up unscheduled the route's trigger for good)
                String uri = quartzContext.getJobDetail().getJobDataMap().getString(QuartzConstants.QUARTZ_ENDPOINT_URI);
                Endpoint existing = uri == null ? null : camelContext.hasEndpoint(uri);
                if (existing instanceof QuartzEndpoint quartz) {
                    return quartz;
                }
                throw new JobExecutionException("The schedule route of trigger " + key + " is not started yet; this fire is skipped", false);
            }
            index.resolvedFires.increment();
            return endpoint;
        }
    }
}
