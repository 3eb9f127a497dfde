package dev.caravan.server;

import dev.caravan.config.ConnectionConfig;
import dev.caravan.config.Schedule;
import dev.caravan.jobs.ConnectionLeases;
import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.jobs.WorkerLimits;
import dev.caravan.service.ConfigService;
import dev.caravan.service.ConnectionRoutes;
import dev.caravan.service.Schedules;
import dev.caravan.state.ClusterRepository;
import dev.caravan.state.DefinitionRepository;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of a cluster sharing one PostgreSQL metadata store. It records a heartbeat every fifth of the
 * lease timeout (on a thread of its own), and as often, on another thread, regenerates its connections' routes when the stored definitions changed (on any node), removes
 * the schedule triggers of connections that no longer have an enabled schedule, and takes over the jobs of nodes that
 * stopped beating: they are marked INTERRUPTED and their connections sync again here, resuming from their last committed
 * checkpoints. The one-job-per-connection rule is kept by a lease per connection ({@link ConnectionLeases}).
 */
final class ClusterNode implements ConnectionLeases, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private final ClusterRepository cluster;
    private final DefinitionRepository definitions;
    private final JobRepository jobs;
    /** Heartbeats only, on their own thread: regenerating thousands of routes must never make this node look dead. */
    private final ScheduledExecutorService heart;
    private final ScheduledExecutorService beat;
    private final Duration interval;
    private volatile Parts parts;
    private long seenVersion = -1;
    /** The last worker-limits disagreement logged (beat thread only). */
    private Optional<String> limitsWarned = Optional.empty();

    /** What the node drives once the server's parts exist. */
    record Parts(SyncCoordinator coordinator, ConfigService configs, ConnectionRoutes routes, Schedules schedules, String apiUrl) {
    }

    ClusterNode(ClusterRepository cluster, DefinitionRepository definitions, JobRepository jobs, Duration leaseTimeout) {
        this.cluster = cluster;
        this.definitions = definitions;
        this.jobs = jobs;
        this.interval = Duration.ofMillis(Math.max(500, leaseTimeout.toMillis() / 5));
        this.beat = daemon("caravan-cluster");
        this.heart = daemon("caravan-heartbeat");
        // alive before anything else runs: an acquired lease is only as good as the heartbeat behind it
        cluster.heartbeat(null);
        heart.scheduleAtFixedRate(this::heartbeat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private void heartbeat() {
        Parts current = parts;
        try {
            cluster.heartbeat(current == null ? null : current.apiUrl());
        } catch (RuntimeException e) {
            LOG.warn("Cluster node {}: heartbeat failed ({}); other nodes take over this node's jobs if it stays silent", cluster.nodeId(), e.getMessage());
        }
    }

    String nodeId() {
        return cluster.nodeId();
    }

    /** Starts beating once the server runs: routes, schedules and take-overs need its parts. */
    void start(Parts parts) {
        this.parts = parts;
        beat.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Cluster node {} started: heartbeat every {} ms, jobs of a node silent for {} ms are taken over", cluster.nodeId(),
                interval.toMillis(), interval.toMillis() * 5);
    }

    private void beat() {
        Parts current = parts;
        if (current.coordinator().stopping()) {
            return;
        }
        step("regenerate routes", () -> reconcileRoutes(current));
        step("remove unused schedule triggers", () -> removeUnusedTriggers(current));
        step("take over jobs of silent nodes", () -> takeOver(current));
        step("compare the nodes' worker limits", () -> compareLimits(current));
    }

    /**
     * Makes the coordinator obey the strictest worker limits of the live nodes, and warns when live nodes run with
     * different settings, again whenever the difference changes, and when it is gone.
     */
    private void compareLimits(Parts current) {
        List<ClusterRepository.Node> nodes = cluster.nodes();
        current.coordinator().applyClusterLimits(nodes);
        Optional<String> disagreement = WorkerLimits.disagreement(nodes);
        if (disagreement.equals(limitsWarned)) {
            return;
        }
        if (disagreement.isPresent()) {
            LOG.warn("Cluster node {}: {}", cluster.nodeId(), disagreement.get());
        } else {
            LOG.info("Cluster node {}: the live nodes run with the same worker limits again", cluster.nodeId());
        }
        limitsWarned = disagreement;
    }

    private void step(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("Cluster node {}: could not {}: {}", cluster.nodeId(), what, e.getMessage());
        }
    }

    private void reconcileRoutes(Parts current) {
        long version = definitions.version();
        if (version == seenVersion) {
            return;
        }
        // what other nodes stored: this node's views of the definitions (which routes a connection owns) are stale now
        current.configs().storeChanged();
        List<ConnectionConfig> connections = current.configs().current().connections();
        current.routes().reconcile(connections);
        seenVersion = version;
        LOG.debug("Cluster node {}: routes of {} connections match store version {}", cluster.nodeId(), connections.size(), version);
    }

    private void removeUnusedTriggers(Parts current) {
        // triggers first: one added after this listing belongs to a connection stored before the read below
        Set<String> triggered = current.schedules().scheduledConnections();
        if (triggered.isEmpty()) {
            return;
        }
        Set<String> scheduled = current.configs().current().connections().stream()
                .filter(c -> !c.generatedRoutes() || c.enabled() && !(c.schedule() instanceof Schedule.Manual))
                .map(ConnectionConfig::name).collect(Collectors.toSet());
        triggered.stream().filter(name -> !scheduled.contains(name)).forEach(current.schedules()::unschedule);
    }

    private void takeOver(Parts current) {
        for (String node : cluster.deadNodesWithJobs()) {
            List<JobRecord> interrupted = jobs.markInterruptedOnNode(node, "node " + node + " stopped answering");
            Map<Long, String> cancelRequested = jobs.cancelRequests(interrupted.stream().map(JobRecord::id).toList());
            Set<String> resumed = new java.util.HashSet<>();
            for (JobRecord job : interrupted) {
                if (cancelRequested.containsKey(job.id())) {
                    // a user asked to stop it: the take-over ends it without syncing the connection again
                    LOG.warn("Cluster node {}: node {} stopped answering while job {} of {}, asked to cancel through node {}, was running; "
                            + "not resumed", cluster.nodeId(), node, job.id(), job.connection(), cancelRequested.get(job.id()));
                    continue;
                }
                LOG.warn("Cluster node {}: node {} stopped answering while job {} of {} was running or queued; resuming the connection here",
                        cluster.nodeId(), node, job.id(), job.connection());
                if (resumed.add(job.connection())) {
                    resume(current, job);
                }
            }
        }
        cluster.forgetLongDeadNodes();
    }

    private void resume(Parts current, JobRecord job) {
        try {
            Optional<SyncCoordinator.RunningJob> started = current.coordinator().start(job.connection(), "failover:" + job.id());
            started.ifPresent(run -> LOG.info("Cluster node {}: job {} of {} resumes job {} of the silent node", cluster.nodeId(), run.id(),
                    job.connection(), job.id()));
        } catch (RuntimeException e) {
            LOG.warn("Cluster node {}: could not resume job {} of {}: {} (its next sync resumes it)", cluster.nodeId(), job.id(),
                    job.connection(), e.getMessage());
        }
    }

    @Override
    public Optional<String> acquire(String connection) {
        return cluster.acquire(connection).map(lease -> "node " + lease.nodeId() + (lease.jobId() == null ? "" : " (job " + lease.jobId() + ")"));
    }

    @Override
    public void attach(String connection, long jobId) {
        cluster.attach(connection, jobId);
    }

    @Override
    public void release(String connection) {
        cluster.release(connection);
    }

    List<ClusterRepository.Node> nodes() {
        return cluster.nodes();
    }

    @Override
    public void close() {
        beat.shutdownNow();
        heart.shutdownNow();
        try {
            beat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
