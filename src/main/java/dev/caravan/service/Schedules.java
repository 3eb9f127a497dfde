package dev.caravan.service;

import java.time.Instant;
import java.util.Date;
import java.util.Properties;
import java.util.Optional;
import dev.caravan.routes.RouteGenerator;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the Quartz triggers of the generated schedule routes ({@code quartz:caravan/<connection>}). */
public final class Schedules {
    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    public static final String GROUP = "caravan";
    private final CamelContext context;

    public Schedules(CamelContext context) {
        this.context = context;
    }

    /**
     * Quartz settings for the component of the schedule routes (bound in the registry and named by the
     * {@code propertiesRef} of the Quartz component the server binds). A scheduled job runs on the Quartz thread that fired it (so a
     * connection's runs never overlap), hence {@code threads} bounds how many scheduled jobs run at once; Quartz's own
     * default of 10 makes triggers wait for a free thread (lag) once many connections are due together.
     */
    public static Properties quartzProperties(int threads) {
        return quartzProperties(threads, null);
    }

    /**
     * {@link #quartzProperties(int)} for a node of a cluster when {@code cluster} is given: Quartz's clustered JDBC job
     * store on the shared PostgreSQL metadata store (tables created by its migrations), so each trigger fires on one node.
     */
    public static Properties quartzProperties(int threads, ClusterStore cluster) {
        Properties properties = new Properties();
        // Quartz keeps one scheduler per name in the JVM and hands an existing one to whoever asks for that name: servers
        // started one after the other in a JVM (tests, an embedding application) must not get the previous one's,
        // still shutting down. The nodes of a cluster share one name: it keys their rows in the shared job store.
        properties.setProperty("org.quartz.scheduler.instanceName", cluster != null ? "caravan"
                : "caravan-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        properties.setProperty("org.quartz.scheduler.jobFactory.class", QuartzEndpointIndex.JobFactory.class.getName());
        if (cluster != null) {
            properties.setProperty("org.quartz.scheduler.instanceId", cluster.nodeId());
            // Quartz's JobStoreTX, writing the triggers of many routes started together in a few transactions
            properties.setProperty("org.quartz.jobStore.class", BatchingJobStore.class.getName());
            properties.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            properties.setProperty("org.quartz.jobStore.dataSource", "caravan");
            properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
            properties.setProperty("org.quartz.jobStore.isClustered", "true");
            properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(Math.max(1000, cluster.checkinMillis())));
            properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
            properties.setProperty("org.quartz.dataSource.caravan.connectionProvider.class", QuartzConnections.class.getName());
            properties.setProperty("org.quartz.dataSource.caravan.key", QuartzConnections.register(cluster.dataSource()));
        }
        return properties;
    }

    /** What a clustered job store needs: the node's id, the shared metadata store, how often nodes check in. */
    public record ClusterStore(String nodeId, javax.sql.DataSource dataSource, long checkinMillis) {
    }

    /** The connections that have a Caravan schedule trigger in Quartz's store (on a cluster: on any node). */
    public java.util.Set<String> scheduledConnections() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        scheduler().ifPresent(scheduler -> {
            try {
                scheduler.getTriggerKeys(org.quartz.impl.matchers.GroupMatcher.triggerGroupEquals(GROUP)).forEach(key -> names.add(key.getName()));
            } catch (SchedulerException e) {
                LOG.warn("Could not list the schedule triggers: {}", e.getMessage());
            }
        });
        return names;
    }

    /**
     * Removes a connection's schedule trigger from Quartz's store. On a cluster a node's schedule route leaves its trigger
     * in the shared store when it stops (the other nodes fire it), so a connection deleted, disabled or made manual loses
     * its trigger here.
     */
    public void unschedule(String connection) {
        scheduler().ifPresent(scheduler -> {
            try {
                if (scheduler.unscheduleJob(TriggerKey.triggerKey(connection, GROUP))) {
                    LOG.info("Removed the schedule trigger of connection {}: it has no enabled schedule any more", connection);
                }
            } catch (SchedulerException e) {
                LOG.warn("Could not remove the schedule trigger of connection {}: {}", connection, e.getMessage());
            }
        });
    }

    private Optional<org.quartz.Scheduler> scheduler() {
        if (context.hasComponent("quartz") == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(context.getComponent("quartz", QuartzComponent.class).getScheduler());
    }

    /**
     * Stops Quartz firing triggers (first step of a server stop): a scheduled job that is running goes on, and the
     * Camel context shuts Quartz down later. Without it, triggers due while running jobs wind down would each be refused.
     */
    public void stopFiring() {
        if (context.hasComponent("quartz") == null) {
            return;
        }
        try {
            QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
            if (quartz.getScheduler() != null && !quartz.getScheduler().isShutdown()) {
                quartz.getScheduler().standby();
            }
        } catch (SchedulerException e) {
            LOG.warn("Could not pause the scheduler before stopping (triggers due meanwhile are refused): {}", e.getMessage());
        }
    }

    /** When the connection's schedule fires next; empty for manual or disabled connections. */
    public Optional<Instant> nextFireTime(String connection) {
        if (context.hasComponent("quartz") == null
                || context.getRouteController().getRouteStatus(RouteGenerator.scheduleRouteId(connection)) != ServiceStatus.Started) {
            return Optional.empty();
        }
        try {
            QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
            if (quartz.getScheduler() == null) {
                return Optional.empty();
            }
            Trigger trigger = quartz.getScheduler().getTrigger(TriggerKey.triggerKey(connection, GROUP));
            Date next = trigger == null ? null : trigger.getNextFireTime();
            return Optional.ofNullable(next).map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }
}
