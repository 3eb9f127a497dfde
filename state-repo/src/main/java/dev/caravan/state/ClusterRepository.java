package dev.caravan.state;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Cluster mode's rows in the (PostgreSQL) metadata store: the nodes with their heartbeats, and one lease per connection
 * held by the node running its job. A node is alive while its heartbeat is younger than the lease timeout; the leases and
 * jobs of a node that is not are taken over by another. Times are the database's, so the nodes' clocks may differ.
 */
public final class ClusterRepository {
    private final Sql sql;
    private final String nodeId;
    private final long timeoutMillis;
    private final int maxConcurrentJobs;
    private final int maxJobsPerDestination;

    public ClusterRepository(DataSource dataSource, String nodeId, Duration leaseTimeout) {
        this(dataSource, nodeId, leaseTimeout, 0, 0);
    }

    /** {@code maxConcurrentJobs}, {@code maxJobsPerDestination}: this node's worker limits (0: none), written with its heartbeat. */
    public ClusterRepository(DataSource dataSource, String nodeId, Duration leaseTimeout, int maxConcurrentJobs, int maxJobsPerDestination) {
        this.sql = new Sql(dataSource);
        this.nodeId = nodeId;
        this.timeoutMillis = leaseTimeout.toMillis();
        this.maxConcurrentJobs = maxConcurrentJobs;
        this.maxJobsPerDestination = maxJobsPerDestination;
    }

    /**
     * A node of the cluster: its API, when it started and last beat, whether it is alive, and the worker limits it runs
     * with (null when its version does not record them).
     */
    public record Node(String id, String apiUrl, Instant startedAt, Instant heartbeatAt, boolean alive, Integer maxConcurrentJobs,
                       Integer maxJobsPerDestination) {
    }

    /** Who holds a connection's lease: the node and its job (null until the job row exists). */
    public record Lease(String connection, String nodeId, Long jobId) {
    }

    /** A QUEUED job of a live node: ids grow with time, so the smallest is the oldest. */
    public record QueuedJob(long id, String connection, String nodeId) {
    }

    /** What the other live nodes run (one connection per RUNNING job) and queue (oldest first). */
    public record Slots(List<String> runningElsewhere, List<QueuedJob> queuedElsewhere) {
    }

    /**
     * Runs {@code decide} holding the cluster's job-start lock (a PostgreSQL advisory lock, held until the transaction that
     * took it ends), given what the other live nodes run and queue. Every node starts and queues its jobs under this lock,
     * writing their rows before {@code decide} returns, so what {@code decide} sees cannot change until it returns: two
     * nodes never both take the last free slot. Jobs of nodes that stopped beating do not count.
     */
    public <T> T withStartLock(Function<Slots, T> decide) {
        return sql.inTransaction(c -> {
            Sql.query(c, "SELECT pg_advisory_xact_lock(hashtext('caravan-job-starts'))", rs -> null);
            // clock_timestamp(): now() is the transaction's start, before the wait for the lock
            String live = "JOIN caravan_node n ON n.node_id = j.node_id WHERE j.status = ? AND j.node_id <> ? "
                    + "AND n.heartbeat_at > clock_timestamp() - ? * INTERVAL '1 millisecond'";
            List<String> running = Sql.query(c, "SELECT j.connection_name FROM caravan_job j " + live, rs -> rs.getString(1),
                    JobStatus.RUNNING.name(), nodeId, timeoutMillis);
            List<QueuedJob> queued = Sql.query(c, "SELECT j.id, j.connection_name, j.node_id FROM caravan_job j " + live + " ORDER BY j.id",
                    rs -> new QueuedJob(rs.getLong(1), rs.getString(2), rs.getString(3)), JobStatus.QUEUED.name(), nodeId, timeoutMillis);
            return decide.apply(new Slots(running, queued));
        });
    }

    /**
     * Without worker limits there is nothing to count: only the QUEUED jobs of {@code connection} on the other live nodes,
     * read by the connection's index and without the lock (a job start then reads no more than before cluster-wide limits).
     */
    public Slots queuedElsewhere(String connection) {
        return new Slots(List.of(), sql.query("SELECT j.id, j.connection_name, j.node_id FROM caravan_job j JOIN caravan_node n ON n.node_id = j.node_id "
                + "WHERE j.connection_name = ? AND j.status = ? AND j.node_id <> ? AND n.heartbeat_at > clock_timestamp() - ? * INTERVAL '1 millisecond' "
                + "ORDER BY j.id", rs -> new QueuedJob(rs.getLong(1), rs.getString(2), rs.getString(3)), connection, JobStatus.QUEUED.name(), nodeId,
                timeoutMillis));
    }

    public void heartbeat(String apiUrl) {
        sql.update("INSERT INTO caravan_node (node_id, api_url, started_at, heartbeat_at, max_concurrent_jobs, max_jobs_per_destination) "
                + "VALUES (?, ?, now(), now(), ?, ?) ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now(), api_url = EXCLUDED.api_url, "
                + "max_concurrent_jobs = EXCLUDED.max_concurrent_jobs, max_jobs_per_destination = EXCLUDED.max_jobs_per_destination",
                nodeId, apiUrl, maxConcurrentJobs, maxJobsPerDestination);
    }

    /**
     * Takes the connection's lease for this node when it is free, already this node's, or held by a node that stopped
     * beating; otherwise answers who holds it.
     */
    public Optional<Lease> acquire(String connection) {
        int taken = sql.update("INSERT INTO caravan_connection_lease (connection_name, node_id, job_id, acquired_at) VALUES (?, ?, NULL, now()) "
                + "ON CONFLICT (connection_name) DO UPDATE SET node_id = EXCLUDED.node_id, job_id = NULL, acquired_at = now() "
                + "WHERE caravan_connection_lease.node_id = EXCLUDED.node_id OR NOT EXISTS (SELECT 1 FROM caravan_node n "
                + "WHERE n.node_id = caravan_connection_lease.node_id AND n.heartbeat_at > now() - ? * INTERVAL '1 millisecond')",
                connection, nodeId, timeoutMillis);
        if (taken == 1) {
            return Optional.empty();
        }
        return Optional.of(sql.queryOne("SELECT connection_name, node_id, job_id FROM caravan_connection_lease WHERE connection_name = ?",
                rs -> new Lease(rs.getString(1), rs.getString(2), (Long) rs.getObject(3)), connection)
                .orElse(new Lease(connection, "another node", null)));
    }

    public void attach(String connection, long jobId) {
        sql.update("UPDATE caravan_connection_lease SET job_id = ? WHERE connection_name = ? AND node_id = ?", jobId, connection, nodeId);
    }

    public void release(String connection) {
        sql.update("DELETE FROM caravan_connection_lease WHERE connection_name = ? AND node_id = ?", connection, nodeId);
    }

    /** Nodes that stopped beating and still have jobs running or queued in the history. */
    public List<String> deadNodesWithJobs() {
        return sql.query("SELECT DISTINCT j.node_id FROM caravan_job j WHERE j.status IN ('RUNNING', 'QUEUED') AND j.node_id IS NOT NULL "
                + "AND j.node_id <> ? AND NOT EXISTS (SELECT 1 FROM caravan_node n WHERE n.node_id = j.node_id "
                + "AND n.heartbeat_at > now() - ? * INTERVAL '1 millisecond')", rs -> rs.getString(1), nodeId, timeoutMillis);
    }

    public List<Node> nodes() {
        return sql.query("SELECT node_id, api_url, started_at, heartbeat_at, heartbeat_at > now() - ? * INTERVAL '1 millisecond', "
                + "max_concurrent_jobs, max_jobs_per_destination FROM caravan_node ORDER BY node_id", rs -> new Node(rs.getString(1), rs.getString(2),
                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getBoolean(5),
                (Integer) rs.getObject(6), (Integer) rs.getObject(7)), timeoutMillis);
    }

    /** Forgets nodes silent for a day that hold nothing (their jobs were taken over). */
    public void forgetLongDeadNodes() {
        sql.update("DELETE FROM caravan_node n WHERE n.heartbeat_at < now() - INTERVAL '1 day' AND NOT EXISTS (SELECT 1 FROM caravan_connection_lease l "
                + "WHERE l.node_id = n.node_id)");
    }

    public String nodeId() {
        return nodeId;
    }
}
