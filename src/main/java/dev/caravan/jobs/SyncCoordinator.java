package dev.caravan.jobs;

import dev.caravan.camel.source.CaravanSourceComponent;
import dev.caravan.camel.source.CaravanSourceConsumer;
import dev.caravan.camel.source.StreamRoutes;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ErrorType;
import dev.caravan.state.ClusterRepository;
import dev.caravan.state.ClusterRepository.QueuedJob;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository;
import dev.caravan.state.JobStatus;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.sync.ReplayBounds;
import dev.caravan.sync.SyncJob;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts jobs of connections (scheduled, API, JMX, CLI) on its own threads. Runs of one connection never overlap: a
 * trigger that arrives while the connection runs is skipped or queued by the {@link SyncPolicy}, and recorded either way.
 * The {@link WorkerLimits} count this server's jobs on a single node, and the jobs of every live node in cluster mode,
 * where the queued jobs of the whole cluster start oldest first ({@link ClusterQueue}).
 */
public final class SyncCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCoordinator.class);
    private static final long PROGRESS_SECONDS = 10;
    /** Cluster mode: how often a node with queued jobs looks whether a slot freed on any node. */
    static final long QUEUE_POLL_MILLIS = 500;
    private static final String IN_CLUSTER = "running or next in the cluster";

    private final CamelContext context;
    private final StreamRoutes streamRoutes;
    private final JobRepository jobs;
    private final ExecutorService executor;
    private final ConcurrentMap<String, RunningJob> running = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RunningJob> queued = new ConcurrentHashMap<>();
    private final SyncPolicy policy;
    private final ConnectionLeases leases;
    /** This node's settings. */
    private final WorkerLimits configured;
    /** What job starts obey: {@link #configured}, or in cluster mode the strictest of the live nodes' ({@link #applyClusterLimits}). */
    private volatile WorkerLimits limits;
    /** Jobs due while the worker limits were reached, oldest first: they start in this order as running jobs end. */
    private final Map<String, Waiting> waiting = new java.util.LinkedHashMap<>();
    private final JobRunner runner;
    /**
     * Cluster mode: the jobs of the other live nodes, read and changed under the cluster's job-start lock; null on a single
     * node. In cluster mode every job that waits (for a worker, or for a run of its connection on any node) is in
     * {@link #waiting}, holds no lease, and starts when its turn comes cluster-wide.
     */
    private final ClusterRepository cluster;
    private final ScheduledExecutorService queuePoll;

    private record Waiting(RunningJob job, Instant scheduledAt) {
    }
    private final JobListener listener;
    private final ScheduledExecutorService progressLog;
    /** Marks this coordinator's job threads in the MDC ({@link JobLogs}): two servers in one JVM keep their job logs apart. */
    private final String logScope = Integer.toHexString(System.identityHashCode(this));
    /** Set once by {@link #close}; from then on every trigger is refused (guarded by this). */
    private boolean stopping;
    /** Cluster mode: job id → the node a cancel of the running job came through, written into its history. */
    private final ConcurrentMap<Long, String> cancelledThrough = new ConcurrentHashMap<>();
    /** Connection → what is being done to it instead of a job ("being reset"); its job starts are refused (guarded by this). */
    private final Map<String, String> busy = new HashMap<>();

    /**
     * A job that has started: its id, a future completed with its final record, and the streams it was asked to sync (all
     * the connection's when empty).
     */
    public record RunningJob(SyncJob job, CompletableFuture<JobRecord> completion, Set<String> only) {
        public RunningJob(SyncJob job, CompletableFuture<JobRecord> completion) {
            this(job, completion, Set.of());
        }

        public long id() {
            return job.jobId();
        }
    }

    public SyncCoordinator(CamelContext context, JobRepository jobs, SyncPolicy policy, JobListener listener) {
        this(context, jobs, policy, listener, ConnectionLeases.LOCAL);
    }

    /** {@code leases} keeps one job per connection across the nodes of a cluster ({@link ConnectionLeases#LOCAL} on one node). */
    public SyncCoordinator(CamelContext context, JobRepository jobs, SyncPolicy policy, JobListener listener, ConnectionLeases leases) {
        this(context, jobs, policy, listener, leases, WorkerLimits.NONE);
    }

    /** {@code limits}: how many jobs run at once, in all and per destination; the others wait in the order they came. */
    public SyncCoordinator(CamelContext context, JobRepository jobs, SyncPolicy policy, JobListener listener, ConnectionLeases leases,
                           WorkerLimits limits) {
        this(context, jobs, policy, listener, leases, limits, null);
    }

    /**
     * {@code cluster} (null on a single node): the limits count the jobs of every live node, and jobs queued on any node
     * start oldest first; this node looks for a freed slot every {@value #QUEUE_POLL_MILLIS} ms while it has queued jobs.
     */
    public SyncCoordinator(CamelContext context, JobRepository jobs, SyncPolicy policy, JobListener listener, ConnectionLeases leases,
                           WorkerLimits limits, ClusterRepository cluster) {
        this.context = context;
        this.cluster = cluster;
        this.leases = leases;
        this.configured = limits;
        this.limits = limits;
        // Kept by the component as routes start and are removed: a job start never scans the context's routes.
        this.streamRoutes = CaravanSourceComponent.of(context).streamRoutes();
        this.jobs = jobs;
        this.policy = policy;
        // A listener that throws must never fail or strand a job: each call is isolated and logged.
        this.listener = JobListener.all(listener);
        this.runner = new JobRunner(jobs, policy, this::streamsOf, this.listener,
                jobId -> Optional.ofNullable(cancelledThrough.get(jobId)).map(node -> " through node " + node).orElse(""));
        this.executor = context.getExecutorServiceManager().newCachedThreadPool(this, "caravan-sync");
        this.progressLog = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "caravan-progress");
        progressLog.scheduleAtFixedRate(this::logProgress, PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
        if (cluster == null) {
            this.queuePoll = null;
        } else {
            this.queuePoll = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "caravan-queue");
            queuePoll.scheduleWithFixedDelay(this::pollQueue, QUEUE_POLL_MILLIS, QUEUE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** One line per running job every {@value #PROGRESS_SECONDS} s, so long syncs show they are moving. */
    private void logProgress() {
        for (RunningJob job : running.values()) {
            long records = job.job().progress().records();
            double seconds = Math.max(1, Duration.between(job.job().startedAt(), Instant.now()).toMillis()) / 1000.0;
            LOG.info("Job {} of {} running for {} s: {} records so far ({} records/s), stream {}", job.id(), job.job().connection(),
                    Math.round(seconds), records, Math.round(records / seconds), job.job().progress().stream());
        }
    }

    /**
     * Starts a job of the connection in the background and returns it. While a job of the connection runs, the trigger is
     * handled by the overlap policy: recorded as SKIPPED (empty result) or QUEUED (the returned job starts when the running
     * one ends). Throws a CONFIG error when the connection has no started stream route, and a
     * {@link SyncRefusedException} (nothing recorded) once the server is stopping or while the connection is being reset
     * or deleted ({@link #whileIdle}).
     */
    public Optional<RunningJob> start(String connection, String trigger) {
        return start(connection, trigger, null, Set.of());
    }

    /** {@link #start(String, String)} for a scheduled run whose trigger was due at {@code scheduledAt} (to measure lag). */
    public Optional<RunningJob> start(String connection, String trigger, Instant scheduledAt) {
        return start(connection, trigger, scheduledAt, Set.of());
    }

    /**
     * {@link #start(String, String, Instant)} syncing only {@code only} of the connection's streams (all when empty); a name
     * that is not one of its streams is a CONFIG error naming the streams it has, and nothing is recorded.
     */
    public synchronized Optional<RunningJob> start(String connection, String trigger, Instant scheduledAt, Set<String> only) {
        return start(connection, trigger, scheduledAt, only, Map.of());
    }

    /**
     * Every job start, a replay's ({@code replay}: the bounds of its streams, empty for a sync) included: the overlap
     * policy, the connection's lease and the worker limits apply alike.
     */
    private Optional<RunningJob> start(String connection, String trigger, Instant scheduledAt, Set<String> only, Map<String, ReplayBounds> replay) {
        refuseIfStoppingOrBusy(connection);
        List<CaravanSourceConsumer> streams = chosen(connection, streamsOf(connection), only);
        if (cluster != null) {
            return startInCluster(connection, trigger, scheduledAt, Set.copyOf(only), replay, streams);
        }
        RunningJob current = running.get(connection);
        if (current != null) {
            if (policy.onOverlap() == SyncPolicy.OnOverlap.QUEUE && !queued.containsKey(connection)) {
                long id = jobs.record(connection, trigger, JobStatus.QUEUED, "waiting for job " + current.id());
                RunningJob waiting = new RunningJob(newJob(id, connection, trigger, Instant.now(), replay), new CompletableFuture<>(), Set.copyOf(only));
                queued.put(connection, waiting);
                LOG.info("Sync of {} ({}) queued as job {}: job {} is running", connection, trigger, id, current.id());
                return Optional.of(waiting);
            }
            String reason = queued.containsKey(connection) ? "job " + queued.get(connection).id() + " is already queued"
                    : "job " + current.id() + " was running";
            jobs.record(connection, trigger, JobStatus.SKIPPED, reason);
            LOG.info("Sync of {} ({}) skipped: {}", connection, trigger, reason);
            return Optional.empty();
        }
        Waiting due = waiting.get(connection);
        if (due != null) {
            String reason = "job " + due.job().id() + " is already waiting for a worker";
            jobs.record(connection, trigger, JobStatus.SKIPPED, reason);
            LOG.info("Sync of {} ({}) skipped: {}", connection, trigger, reason);
            return Optional.empty();
        }
        if (elsewhere(connection, trigger)) {
            return Optional.empty();
        }
        Optional<String> blocked = limits.blocked(connection, running.keySet());
        if (blocked.isPresent()) {
            long id = startRow(connection, () -> jobs.record(connection, trigger, JobStatus.QUEUED, blocked.get()));
            RunningJob job = new RunningJob(newJob(id, connection, trigger, Instant.now(), replay), new CompletableFuture<>(), Set.copyOf(only));
            waiting.put(connection, new Waiting(job, scheduledAt));
            LOG.info("Sync of {} ({}) waits as job {}: {}", connection, trigger, id, blocked.get());
            return Optional.of(job);
        }
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long id = startRow(connection, () -> jobs.start(connection, trigger, startedAt, scheduledAt));
        RunningJob job = new RunningJob(newJob(id, connection, trigger, startedAt, replay), new CompletableFuture<>(), Set.copyOf(only));
        launch(job, streams, scheduledAt);
        return Optional.of(job);
    }

    /** A job's first attempt; a replay when {@code replay} names bounds. */
    private static SyncJob newJob(long id, String connection, String trigger, Instant startedAt, Map<String, ReplayBounds> replay) {
        SyncJob job = new SyncJob(id, 1, connection, trigger, startedAt);
        return replay.isEmpty() ? job : job.asReplay(replay);
    }

    /**
     * Cluster mode: under the cluster's job-start lock, a job starts when the limits admit it beside the jobs running on
     * every live node and the older queued jobs next in line ({@link ClusterQueue}); otherwise it is QUEUED here and starts
     * here when its turn comes ({@link #admitQueued}). A trigger while the connection runs, here or on another node, is
     * queued or skipped by the overlap policy; one while a job of the connection is queued on any node is skipped.
     */
    private Optional<RunningJob> startInCluster(String connection, String trigger, Instant scheduledAt, Set<String> only,
                                                Map<String, ReplayBounds> replay, List<CaravanSourceConsumer> streams) {
        Waiting due = waiting.get(connection);
        if (due != null) {
            return skip(connection, trigger, "job " + due.job().id() + " is already queued");
        }
        RunningJob current = running.get(connection);
        Optional<String> holder = current != null ? Optional.empty() : leases.acquire(connection);
        boolean leased = current == null && holder.isEmpty();
        try {
            return withClusterJobs(connection, others -> {
                Optional<QueuedJob> queued = others.queuedElsewhere().stream().filter(job -> job.connection().equals(connection)).findFirst();
                if (queued.isPresent()) {
                    if (leased) {
                        releaseLease(connection);
                    }
                    return skip(connection, trigger, "job " + queued.get().id() + " is already queued on node " + queued.get().nodeId());
                }
                if (current != null) {
                    return overlap(connection, trigger, scheduledAt, only, replay, "job " + current.id() + " was running", "waiting for job " + current.id());
                }
                if (holder.isPresent()) {
                    return overlap(connection, trigger, scheduledAt, only, replay, "a job of the connection is running on " + holder.get(),
                            "waiting for the job of the connection running on " + holder.get());
                }
                // this node's own queued jobs are older than this trigger too
                ClusterQueue.Turn turn = ClusterQueue.of(limits, runningIn(others), queueOf(others));
                Optional<String> blocked = limits.blocked(connection, turn.occupied(), IN_CLUSTER);
                if (blocked.isPresent()) {
                    releaseLease(connection);
                    return Optional.of(queue(connection, trigger, scheduledAt, only, replay, blocked.get()));
                }
                Instant startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                long id = startRow(connection, () -> jobs.start(connection, trigger, startedAt, scheduledAt));
                RunningJob job = new RunningJob(newJob(id, connection, trigger, startedAt, replay), new CompletableFuture<>(), only);
                launch(job, streams, scheduledAt);
                return Optional.of(job);
            });
        } catch (RuntimeException e) {
            // the lease taken above is given back unless its job runs (the lock's end may fail after the job started)
            if (leased && !running.containsKey(connection)) {
                releaseLease(connection);
            }
            throw e;
        }
    }

    /** The overlap policy: queue the trigger behind the connection's running job, or skip it. */
    private Optional<RunningJob> overlap(String connection, String trigger, Instant scheduledAt, Set<String> only, Map<String, ReplayBounds> replay,
                                         String skipReason, String queueReason) {
        if (policy.onOverlap() == SyncPolicy.OnOverlap.QUEUE) {
            return Optional.of(queue(connection, trigger, scheduledAt, only, replay, queueReason));
        }
        return skip(connection, trigger, skipReason);
    }

    private Optional<RunningJob> skip(String connection, String trigger, String reason) {
        jobs.record(connection, trigger, JobStatus.SKIPPED, reason);
        LOG.info("Sync of {} ({}) skipped: {}", connection, trigger, reason);
        return Optional.empty();
    }

    /** Cluster mode: a QUEUED job of this node, holding no lease, started by {@link #admitQueued} when its turn comes. */
    private RunningJob queue(String connection, String trigger, Instant scheduledAt, Set<String> only, Map<String, ReplayBounds> replay,
                             String reason) {
        long id = jobs.record(connection, trigger, JobStatus.QUEUED, reason);
        RunningJob job = new RunningJob(newJob(id, connection, trigger, Instant.now(), replay), new CompletableFuture<>(), only);
        waiting.put(connection, new Waiting(job, scheduledAt));
        LOG.info("Sync of {} ({}) queued as job {}: {}", connection, trigger, id, reason);
        return job;
    }

    /**
     * Runs {@code decide} on what the other live nodes run and queue, under the cluster's job-start lock. Without limits
     * there is nothing to count or to hold a slot for: only the queued jobs of {@code connection} (none when null) are
     * read, without the lock, and a queued job starts when its connection's lease is free.
     */
    private <T> T withClusterJobs(String connection, java.util.function.Function<ClusterRepository.Slots, T> decide) {
        if (limits.limited()) {
            return cluster.withStartLock(decide);
        }
        return decide.apply(connection == null ? new ClusterRepository.Slots(List.of(), List.of()) : cluster.queuedElsewhere(connection));
    }

    /** The queued jobs of the other live nodes and of this node, oldest first. */
    private List<QueuedJob> queueOf(ClusterRepository.Slots others) {
        List<QueuedJob> queue = new ArrayList<>(others.queuedElsewhere());
        waiting.values().forEach(due -> queue.add(new QueuedJob(due.job().id(), due.job().job().connection(), cluster.nodeId())));
        queue.sort(Comparator.comparingLong(QueuedJob::id));
        return queue;
    }

    /** The connections of the jobs running on the other live nodes and here. */
    private List<String> runningIn(ClusterRepository.Slots others) {
        List<String> all = new ArrayList<>(others.runningElsewhere());
        all.addAll(running.keySet());
        return all;
    }

    /**
     * Cluster mode: the limits job starts obey become the strictest of this node's settings and those the live
     * {@code nodes} run with (per limit the smallest value set; none only when no node sets one), so every node starts
     * jobs by the same rule even while their settings differ. Returns them.
     */
    public synchronized WorkerLimits applyClusterLimits(List<ClusterRepository.Node> nodes) {
        WorkerLimits strictest = configured.strictest(nodes);
        if (strictest.maxJobs() != limits.maxJobs() || strictest.maxPerDestination() != limits.maxPerDestination()) {
            LOG.info("Worker limits of the cluster now: max-concurrent-jobs={}, max-jobs-per-destination={} (0: none; this node's settings: {}, {})",
                    strictest.maxJobs(), strictest.maxPerDestination(), configured.maxJobs(), configured.maxPerDestination());
            limits = strictest;
            admitWaitingAfterChange();
        }
        return strictest;
    }

    /** Limits that grew may admit jobs queued here now rather than at the next look. */
    private void admitWaitingAfterChange() {
        if (cluster != null) {
            try {
                admitQueued();
            } catch (RuntimeException e) {
                LOG.warn("Could not check whether queued jobs may start under the new limits: {}", e.getMessage());
            }
        }
    }

    /** The worker limits job starts obey now. */
    public WorkerLimits limits() {
        return limits;
    }

    /** Cluster mode, every {@value #QUEUE_POLL_MILLIS} ms: a slot may have freed on another node. */
    private synchronized void pollQueue() {
        try {
            stopCancelRequested();
        } catch (RuntimeException e) {
            LOG.warn("Could not look for cancel requests of running jobs {}: {} (looked again in {} ms)",
                    running.values().stream().map(RunningJob::id).toList(), e.getMessage(), QUEUE_POLL_MILLIS);
        }
        try {
            admitQueued();
        } catch (RuntimeException e) {
            LOG.warn("Could not check whether queued jobs {} may start: {} (checked again in {} ms)",
                    waiting.values().stream().map(due -> due.job().id()).toList(), e.getMessage(), QUEUE_POLL_MILLIS);
        }
    }

    /**
     * Cluster mode: under the cluster's job-start lock, starts this node's queued jobs that are next in the cluster's
     * queue (oldest first over every live node; see {@link ClusterQueue}). A job next on another node keeps its slot for
     * that node, which starts it at its next look.
     */
    private void admitQueued() {
        if (waiting.isEmpty() || stopping) {
            return;
        }
        forgetEndedElsewhere();
        withClusterJobs(null, others -> {
            for (QueuedJob next : ClusterQueue.of(limits, runningIn(others), queueOf(others)).next()) {
                Waiting due = waiting.get(next.connection());
                if (!stopping && next.nodeId().equals(cluster.nodeId()) && due != null && due.job().id() == next.id()) {
                    startQueuedHere(due);
                }
            }
            return null;
        });
    }

    /**
     * Cluster mode: drops the queued jobs whose rows another node ended (cancelled through its API, or taken over while
     * this node looked silent); whoever waits on one gets its record.
     */
    private void forgetEndedElsewhere() {
        List<Long> ended = jobs.notQueued(waiting.values().stream().map(due -> due.job().id()).toList());
        for (long id : ended) {
            waiting.values().stream().filter(due -> due.job().id() == id).findFirst().ifPresent(due -> {
                waiting.remove(due.job().job().connection());
                JobRecord record = jobs.find(id).orElseThrow();
                LOG.info("Queued job {} of {} was ended on another node: {} {}", id, record.connection(), record.status(), record.errorMessage());
                due.job().completion().complete(record);
            });
        }
    }

    private void startQueuedHere(Waiting due) {
        String connection = due.job().job().connection();
        long id = due.job().id();
        List<CaravanSourceConsumer> streams = streamsOf(connection).stream()
                .filter(stream -> due.job().only().isEmpty() || due.job().only().contains(stream.stream())).toList();
        if (streams.isEmpty()) {
            waiting.remove(connection);
            due.job().completion().complete(jobs.finish(id, JobStatus.CANCELLED, 0, 0, null, "its routes were removed while it was queued"));
            return;
        }
        Optional<String> holder = leases.acquire(connection);
        if (holder.isPresent()) {
            // a node taking the lease for a new trigger finds this job queued and gives the lease back: next look
            LOG.debug("Queued job {} of {} waits: the lease is held by {}", id, connection, holder.get());
            return;
        }
        waiting.remove(connection);
        SyncJob now = due.job().job().restartedNow();
        try {
            if (!jobs.markRunning(id, now.startedAt())) {
                // ended by another node while this one looked silent; that node resumed the connection
                LOG.warn("Queued job {} of {} was ended by another node; not started", id, connection);
                releaseLease(connection);
                due.job().completion().complete(jobs.find(id).orElseThrow());
                return;
            }
            leases.attach(connection, id);
        } catch (RuntimeException e) {
            LOG.error("Could not start job {} of {} that was queued: {}", id, connection, e.getMessage());
            releaseLease(connection);
            try {
                // a row left QUEUED would keep its slot in the cluster's queue while this node beats
                jobs.finish(id, JobStatus.FAILED, 0, 0, ErrorType.SYSTEM.name(), "could not start: " + e.getMessage());
            } catch (RuntimeException again) {
                LOG.error("Could not record that job {} did not start: {}", id, again.getMessage());
            }
            due.job().completion().completeExceptionally(e);
            return;
        }
        launch(new RunningJob(now, due.job().completion(), due.job().only()), streams, due.scheduledAt());
    }

    /**
     * Re-runs a past job: each of its streams reads again from the state that job started at, exactly as many records
     * as it delivered, into a new generation, without moving the streams' committed state. It starts as any job does
     * ({@link #start(String, String, Instant, Set)}): while the connection runs it is skipped (empty) or queued by the
     * overlap policy, and past the worker limits it waits (QUEUED) for its turn.
     */
    public synchronized Optional<RunningJob> replay(long originalJobId) {
        JobRecord original = jobs.find(originalJobId).orElseThrow(() -> new CaravanException(ErrorType.CONFIG,
                "Job " + originalJobId + " does not exist"));
        refuseIfStoppingOrBusy(original.connection());
        Map<String, ReplayBounds> bounds = ReplayPlan.of(original);
        String connection = original.connection();
        List<CaravanSourceConsumer> streams = streamsOf(connection).stream().filter(c -> bounds.containsKey(c.stream())).toList();
        if (streams.size() < bounds.size()) {
            throw new CaravanException(ErrorType.CONFIG, "Job " + originalJobId + " synced streams " + bounds.keySet() + " of connection "
                    + connection + "; not all of them have a started route now");
        }
        return start(connection, "replay:" + originalJobId, null, bounds.keySet(), bounds);
    }

    private static List<CaravanSourceConsumer> chosen(String connection, List<CaravanSourceConsumer> streams, Set<String> only) {
        if (streams.isEmpty()) {
            throw new CaravanException(ErrorType.CONFIG, "Connection '" + connection + "' has no started stream route; "
                    + "apply it (caravan apply) or check its route file in the route directory");
        }
        if (only.isEmpty()) {
            return streams;
        }
        List<String> names = streams.stream().map(CaravanSourceConsumer::stream).distinct().toList();
        List<ConfigProblem> unknown = only.stream().filter(name -> !names.contains(name)).sorted()
                .map(name -> new ConfigProblem("streams", name, "not a stream of connection " + connection + "; its streams are "
                        + String.join(", ", names) + " (leave streams out to sync them all)"))
                .toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException(unknown);
        }
        return streams.stream().filter(stream -> only.contains(stream.stream())).toList();
    }

    /** Whether a job of the connection runs on another node of the cluster: the trigger is then recorded as SKIPPED. */
    private boolean elsewhere(String connection, String trigger) {
        Optional<String> holder = leases.acquire(connection);
        if (holder.isEmpty()) {
            return false;
        }
        String reason = "a job of the connection is running on " + holder.get();
        jobs.record(connection, trigger, JobStatus.SKIPPED, reason);
        LOG.info("Sync of {} ({}) skipped: {}", connection, trigger, reason);
        return true;
    }

    /** Writes the job's row under the lease just taken; a failure gives the lease back. */
    private long startRow(String connection, java.util.function.LongSupplier row) {
        try {
            long id = row.getAsLong();
            leases.attach(connection, id);
            return id;
        } catch (RuntimeException e) {
            leases.release(connection);
            throw e;
        }
    }

    private void refuseIfStoppingOrBusy(String connection) {
        if (stopping) {
            throw SyncRefusedException.serverStopping(connection);
        }
        String activity = busy.get(connection);
        if (activity != null) {
            throw SyncRefusedException.busy(connection, activity);
        }
    }

    /**
     * Runs {@code action} (a reset, a delete) while no job of the connection runs: checking that none runs or waits and
     * refusing job starts until {@code action} returns are one step with job start, so a job cannot start in between.
     * When a job runs or waits, the exception {@code whenRunning} makes of its id is thrown and nothing is done; while
     * another action runs on the connection, a {@link SyncRefusedException}. {@code activity} says what is being done,
     * e.g. "being reset", for the refusals.
     */
    public <T> T whileIdle(String connection, String activity, LongFunction<RuntimeException> whenRunning, Supplier<T> action) {
        synchronized (this) {
            RunningJob job = running.get(connection);
            if (job == null && waiting.containsKey(connection)) {
                job = waiting.get(connection).job();
            }
            if (job != null) {
                throw whenRunning.apply(job.id());
            }
            refuseIfStoppingOrBusy(connection);
            busy.put(connection, activity);
        }
        try {
            return action.get();
        } finally {
            synchronized (this) {
                busy.remove(connection);
            }
        }
    }

    /** Runs a job whose row is RUNNING; called with the lock held, so never after {@link #close} has begun. */
    private void launch(RunningJob job, List<CaravanSourceConsumer> streams, Instant scheduledAt) {
        String connection = job.job().connection();
        running.put(connection, job);
        listener.jobStarted(job.job(), scheduledAt);
        try {
            executor.execute(() -> run(job, streams));
        } catch (RejectedExecutionException e) {
            // Only if the pool was shut down behind our back: never leave the row RUNNING or the connection taken.
            running.remove(connection, job);
            leases.release(connection);
            JobRecord record = jobs.finish(job.id(), JobStatus.INTERRUPTED, 0, 0, ErrorType.TRANSIENT.name(), "the server stopped before this job could run");
            job.completion().complete(record);
            listener.jobEnded(record);
            throw SyncRefusedException.serverStopping(connection);
        }
    }

    private void run(RunningJob job, List<CaravanSourceConsumer> streams) {
        String connection = job.job().connection();
        JobRecord record = null;
        Throwable crash = null;
        org.slf4j.MDC.put(JobLogs.MDC_JOB, logScope + ":" + job.id());
        try {
            record = runner.run(job.job(), streams);
        } catch (Throwable t) {
            LOG.error("Job {} of {} crashed: {}", job.id(), connection, t.getMessage(), t);
            crash = t;
            try {
                jobs.finish(job.id(), JobStatus.FAILED, 0, 0, ErrorType.SYSTEM.name(), ErrorClassifier.message(t));
            } catch (RuntimeException e) {
                LOG.error("Could not record the failure of job {} (it shows as running until the next start): {}", job.id(), e.getMessage());
            }
        } finally {
            // Free the connection before anyone waiting on the job hears of its end, so they may start the next one.
            try {
                ended(job);
            } catch (RuntimeException e) {
                LOG.error("Could not start the job queued behind job {}: {}", job.id(), e.getMessage());
            }
        }
        cancelledThrough.remove(job.id());
        org.slf4j.MDC.remove(JobLogs.MDC_JOB);
        org.slf4j.MDC.remove(JobLogs.MDC_ATTEMPT);
        // Always complete: a Quartz thread waits for it, and Quartz waits for its threads when the server stops.
        if (crash != null) {
            job.completion().completeExceptionally(crash);
            return;
        }
        job.completion().complete(record);
        listener.jobEnded(record);
    }

    /** The job of a connection ended: start the queued one, if any and still startable, then waiting jobs that now fit. */
    private synchronized void ended(RunningJob job) {
        if (cluster != null) {
            running.remove(job.job().connection(), job);
            releaseLease(job.job().connection());
            admitQueued();
            return;
        }
        try {
            startQueued(job);
        } finally {
            admitWaiting();
        }
    }

    /** Starts the waiting jobs that the worker limits now admit, oldest first. */
    private void admitWaiting() {
        for (var entry = waiting.entrySet().iterator(); entry.hasNext() && !stopping; ) {
            Waiting due = entry.next().getValue();
            String connection = due.job().job().connection();
            if (limits.blocked(connection, running.keySet()).isPresent()) {
                continue;
            }
            entry.remove();
            List<CaravanSourceConsumer> streams = streamsOf(connection).stream()
                    .filter(stream -> due.job().only().isEmpty() || due.job().only().contains(stream.stream())).toList();
            if (streams.isEmpty()) {
                releaseLease(connection);
                due.job().completion().complete(jobs.finish(due.job().id(), JobStatus.CANCELLED, 0, 0, null, "its routes were removed while it waited"));
                continue;
            }
            SyncJob now = due.job().job().restartedNow();
            try {
                jobs.markRunning(due.job().id(), now.startedAt());
            } catch (RuntimeException e) {
                LOG.error("Could not start job {} of {} that waited for a worker: {}", due.job().id(), connection, e.getMessage());
                releaseLease(connection);
                due.job().completion().completeExceptionally(e);
                continue;
            }
            launch(new RunningJob(now, due.job().completion(), due.job().only()), streams, due.scheduledAt());
        }
    }

    private void startQueued(RunningJob job) {
        String connection = job.job().connection();
        running.remove(connection, job);
        RunningJob next = queued.remove(connection);
        if (next == null) {
            releaseLease(connection);
            return;
        }
        List<CaravanSourceConsumer> streams = streamsOf(connection).stream()
                .filter(stream -> next.only().isEmpty() || next.only().contains(stream.stream())).toList();
        if (streams.isEmpty() || next.job().stopRequested()) {
            releaseLease(connection);
            next.completion().complete(jobs.finish(next.id(), JobStatus.CANCELLED, 0, 0, null,
                    next.job().stopRequested() ? "cancelled while queued" : "its routes were removed"));
            return;
        }
        SyncJob now = next.job().restartedNow();
        try {
            jobs.markRunning(next.id(), now.startedAt());
            leases.attach(connection, next.id());
        } catch (RuntimeException e) {
            // never leave whoever waits on the queued job (a Quartz thread, a CLI) waiting for ever
            LOG.error("Could not start job {} of {} that was queued: {}", next.id(), connection, e.getMessage());
            releaseLease(connection);
            next.completion().completeExceptionally(e);
            return;
        }
        launch(new RunningJob(now, next.completion(), next.only()), streams, null);
    }

    /** A lease that cannot be given back now expires with this node's heartbeats or is taken back by its next job. */
    private void releaseLease(String connection) {
        try {
            leases.release(connection);
        } catch (RuntimeException e) {
            LOG.warn("Could not release the lease of connection {}: {}", connection, e.getMessage());
        }
    }

    /** Runs a job now and waits for it; empty when the trigger was skipped. */
    public Optional<JobRecord> sync(String connection, String trigger) {
        return sync(connection, trigger, null);
    }

    /** {@link #sync(String, String)} for a scheduled run whose trigger was due at {@code scheduledAt}. */
    public Optional<JobRecord> sync(String connection, String trigger, Instant scheduledAt) {
        return start(connection, trigger, scheduledAt).map(job -> job.completion().join());
    }

    /** Whether {@link #close} has begun: every trigger is refused from then on. */
    public synchronized boolean stopping() {
        return stopping;
    }

    /** What this coordinator's job threads carry in the MDC before the job id ({@link JobLogs#MDC_JOB}). */
    public String logScope() {
        return logScope;
    }

    public Optional<RunningJob> running(String connection) {
        return Optional.ofNullable(running.get(connection));
    }

    /** What {@link #cancel} did. */
    public enum Cancel {
        /** A job running or queued here was asked to stop: it ends CANCELLED at its next batch boundary. */
        STOPPING,
        /** A job waiting for a worker or queued on another node: it ended CANCELLED now. */
        CANCELLED,
        /** Cluster mode: a job running on another node; the request is stored and that node stops the job when it sees it. */
        REQUESTED,
        /** No such job is running or queued. */
        NOT_ACTIVE
    }

    /**
     * Asks a running or queued job of this node to stop (at the next batch boundary), or, in cluster mode, cancels a job
     * queued on another node, or records a cancel request for a job running on another node: that node looks for
     * requests every {@value #QUEUE_POLL_MILLIS} ms and stops the job as a cancel through it would.
     */
    public synchronized Cancel cancel(long jobId) {
        for (RunningJob job : running.values()) {
            if (job.id() == jobId) {
                stop(job, cluster == null ? null : cluster.nodeId());
                return Cancel.STOPPING;
            }
        }
        for (RunningJob job : queued.values()) {
            if (job.id() == jobId) {
                job.job().cancel();
                return Cancel.STOPPING;
            }
        }
        for (Waiting due : waiting.values()) {
            if (due.job().id() == jobId) {
                String connection = due.job().job().connection();
                waiting.remove(connection);
                if (cluster == null) {
                    releaseLease(connection);
                }
                // in cluster mode it may wait for a run of its connection, not for a worker
                due.job().completion().complete(jobs.finish(jobId, JobStatus.CANCELLED, 0, 0, null, cluster == null
                        ? "cancelled while waiting for a worker" : "cancelled while waiting in the queue"));
                return Cancel.CANCELLED;
            }
        }
        if (cluster == null) {
            return Cancel.NOT_ACTIVE;
        }
        // a job queued on another node: its row ends here, and that node drops it at its next look
        if (jobs.cancelQueued(jobId, "cancelled while waiting in the queue (through node " + cluster.nodeId() + ")")) {
            LOG.info("Cancelled job {}, queued on another node", jobId);
            return Cancel.CANCELLED;
        }
        // a job running on another node (never this one's: those are in running): that node stops it at its next look
        if (jobs.requestCancel(jobId, cluster.nodeId())) {
            LOG.info("Asked the node running job {} to cancel it", jobId);
            return Cancel.REQUESTED;
        }
        return Cancel.NOT_ACTIVE;
    }

    /** Asks a running job to stop as cancelled; {@code throughNode}: the node the cancel came through (cluster mode), for the history. */
    private void stop(RunningJob job, String throughNode) {
        if (throughNode != null) {
            cancelledThrough.putIfAbsent(job.id(), throughNode);
        }
        job.job().cancel();
        LOG.info("Cancelling job {} of {}{}", job.id(), job.job().connection(), throughNode == null ? "" : " (asked through node " + throughNode + ")");
    }

    /** Cluster mode: stops this node's running jobs that a cancel through another node asked to stop ({@link #cancel}). */
    private void stopCancelRequested() {
        if (running.isEmpty()) {
            return;
        }
        Map<Long, RunningJob> byId = new HashMap<>();
        running.values().forEach(job -> byId.put(job.id(), job));
        jobs.cancelRequests(byId.keySet()).forEach((id, node) -> {
            RunningJob job = byId.get(id);
            if (!job.job().stopRequested()) {
                stop(job, node);
            }
        });
    }

    /** The connections that have at least one stream route. */
    public Set<String> connections() {
        return streamRoutes.connections();
    }

    /** The streams of the connection's routes, by name. */
    public List<String> streams(String connection) {
        return streamsOf(connection).stream().map(CaravanSourceConsumer::stream).distinct().toList();
    }

    /** The stream routes of the connection by stream name, stopped ones included (their streams fail with the fix). */
    private List<CaravanSourceConsumer> streamsOf(String connection) {
        return streamRoutes.of(connection);
    }

    /**
     * Refuses every trigger from now on (nothing is recorded for them), ends the queued jobs and asks the running ones to
     * stop at their next batch boundary, and waits for them (Camel's graceful shutdown timeout). They are recorded as
     * INTERRUPTED — the server stopped — not CANCELLED, which says a user cancelled. Called before the Camel context stops.
     */
    @Override
    public void close() {
        List<RunningJob> notRun;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            running.values().forEach(job -> job.job().interrupt());
            List<RunningJob> pending = new java.util.ArrayList<>(queued.values());
            waiting.values().forEach(due -> pending.add(due.job()));
            notRun = List.copyOf(pending);
            queued.clear();
            waiting.clear();
        }
        if (!running.isEmpty()) {
            LOG.info("Stopping: waiting for jobs {} to stop at their next batch boundary", running.values().stream().map(RunningJob::id).toList());
        }
        for (RunningJob job : notRun) {
            job.completion().complete(jobs.finish(job.id(), JobStatus.INTERRUPTED, 0, 0, ErrorType.TRANSIENT.name(),
                    "the server stopped before this queued job ran"));
        }
        context.getExecutorServiceManager().shutdownNow(progressLog);
        if (queuePoll != null) {
            context.getExecutorServiceManager().shutdownNow(queuePoll);
        }
        context.getExecutorServiceManager().shutdownGraceful(executor);
    }
}
