package dev.caravan.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The job history: a row per sync job and a row per stream of it. Every error message and reason passes through
 * {@code scrub} (the server masks its secrets there: drivers echo passwords and URLs in their messages).
 */
public final class JobRepository {
    private static final String JOB_COLUMNS =
            "id, connection_name, trigger_type, status, started_at, ended_at, records, bytes_written, error_type, error_message, scheduled_at, node_id, schema_changes";
    private final Sql sql;
    private final UnaryOperator<String> scrub;
    private final String nodeId;

    public JobRepository(DataSource dataSource) {
        this(dataSource, UnaryOperator.identity());
    }

    public JobRepository(DataSource dataSource, UnaryOperator<String> scrub) {
        this(dataSource, scrub, null);
    }

    /** {@code nodeId}: the cluster node whose jobs these are (recorded on each job), or null on a single node. */
    public JobRepository(DataSource dataSource, UnaryOperator<String> scrub, String nodeId) {
        this.sql = new Sql(dataSource);
        this.scrub = scrub;
        this.nodeId = nodeId;
    }

    /** A RUNNING job started at {@code startedAt} (the instant also written to {@code _airbyte_extracted_at}). */
    public long start(String connection, String trigger, Instant startedAt) {
        return start(connection, trigger, startedAt, null);
    }

    /**
     * A RUNNING job and its RUNNING first attempt, in one transaction; {@code scheduledAt} is when its schedule meant it to
     * start (null when not scheduled).
     */
    public long start(String connection, String trigger, Instant startedAt, Instant scheduledAt) {
        OffsetDateTime started = startedAt.atOffset(ZoneOffset.UTC);
        return sql.inTransaction(c -> {
            long id = Sql.insertReturningId(c, "INSERT INTO caravan_job (connection_name, trigger_type, status, started_at, records, bytes_written, "
                    + "scheduled_at, node_id) VALUES (?, ?, ?, ?, 0, 0, ?, ?)", connection, trigger, JobStatus.RUNNING.name(), started,
                    scheduledAt == null ? null : scheduledAt.atOffset(ZoneOffset.UTC), nodeId);
            insertAttempt(c, id, 1, started);
            return id;
        });
    }

    /** A job row that did not run (SKIPPED, ended when recorded) or waits (QUEUED), with the reason. */
    public long record(String connection, String trigger, JobStatus status, String reason) {
        OffsetDateTime now = now();
        return sql.insertReturningId("INSERT INTO caravan_job (connection_name, trigger_type, status, started_at, ended_at, records, bytes_written, "
                + "error_message, node_id) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?)", connection, trigger, status.name(), now, status == JobStatus.QUEUED ? null : now,
                scrub.apply(reason), nodeId);
    }

    /**
     * A queued job starts running now, with its first attempt; false (nothing written) when the job is no longer QUEUED
     * (in cluster mode another node may have ended it: its node looked silent).
     */
    public boolean markRunning(long jobId, Instant startedAt) {
        OffsetDateTime started = startedAt.atOffset(ZoneOffset.UTC);
        return sql.inTransaction(c -> {
            if (Sql.update(c, "UPDATE caravan_job SET status = ?, started_at = ?, error_message = NULL WHERE id = ? AND status = ?",
                    JobStatus.RUNNING.name(), started, jobId, JobStatus.QUEUED.name()) == 0) {
                return false;
            }
            insertAttempt(c, jobId, 1, started);
            return true;
        });
    }

    /** Ends a QUEUED job as CANCELLED with {@code reason}; false when it is not QUEUED (it started or ended). */
    public boolean cancelQueued(long jobId, String reason) {
        OffsetDateTime now = now();
        return sql.update("UPDATE caravan_job SET status = ?, ended_at = ?, error_message = ? WHERE id = ? AND status = ?", JobStatus.CANCELLED.name(),
                now, scrub.apply(reason), jobId, JobStatus.QUEUED.name()) == 1;
    }

    /**
     * Cluster mode: records that node {@code byNode} asks the RUNNING job {@code jobId} (of another node) to stop; the node
     * running it polls for such requests ({@link #cancelRequests}). False when the job is not RUNNING.
     */
    public boolean requestCancel(long jobId, String byNode) {
        // never one of the asking node's own jobs: it stops those itself
        return sql.update("UPDATE caravan_job SET cancel_requested_by = ? WHERE id = ? AND status = ? AND node_id <> ?", byNode, jobId,
                JobStatus.RUNNING.name(), byNode) == 1;
    }

    /** Of the jobs {@code ids}, those a node asked to cancel ({@link #requestCancel}), with the asking node. */
    public Map<Long, String> cancelRequests(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> requests = new java.util.LinkedHashMap<>();
        sql.query("SELECT id, cancel_requested_by FROM caravan_job WHERE id IN (" + placeholders(ids.size()) + ") AND cancel_requested_by IS NOT NULL "
                + "ORDER BY id", rs -> requests.put(rs.getLong(1), rs.getString(2)), ids.toArray());
        return requests;
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** Which of the jobs {@code ids} are no longer QUEUED (started, or ended by another node of a cluster). */
    public List<Long> notQueued(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(ids);
        params.add(JobStatus.QUEUED.name());
        return sql.query("SELECT id FROM caravan_job WHERE id IN (" + placeholders(ids.size())
                + ") AND status <> ? ORDER BY id", rs -> rs.getLong(1), params.toArray());
    }

    /** A retry: attempt 2 and later (the first is written by {@link #start} and {@link #markRunning}). */
    public void startAttempt(long jobId, int attempt) {
        sql.inConnection(c -> insertAttempt(c, jobId, attempt, now()));
    }

    private static int insertAttempt(Connection c, long jobId, int attempt, OffsetDateTime startedAt) throws SQLException {
        return Sql.update(c, "INSERT INTO caravan_attempt (job_id, attempt, status, started_at, records, bytes_written) VALUES (?, ?, ?, ?, 0, 0)",
                jobId, attempt, JobStatus.RUNNING.name(), startedAt);
    }

    /** Records the changes of the connection's stream list a running job found (streams new in the source). */
    public void recordSchemaChanges(long jobId, List<dev.caravan.sync.SchemaChange> changes) {
        sql.update("UPDATE caravan_job SET schema_changes = ? WHERE id = ?", SchemaColumns.writeChanges(changes), jobId);
    }

    /** The outcome of one stream of one attempt, recorded as soon as the stream ends (a later crash keeps it). */
    public void recordStream(long jobId, JobStreamRecord stream) {
        sql.inConnection(c -> insertStream(c, jobId, stream));
    }

    /**
     * An attempt ended and the job goes on (a retry follows): {@code lastStream}, the attempt's last stream (null when
     * already recorded), and the attempt's end are written in one transaction.
     */
    public void endAttempt(long jobId, JobStreamRecord lastStream, AttemptEnd attempt) {
        sql.inTransaction(c -> {
            insertStream(c, jobId, lastStream);
            return updateAttempt(c, jobId, attempt);
        });
    }

    /**
     * The job ended with its attempt: {@code lastStream} (null when already recorded), the attempt's end and the job's
     * end in one transaction; returns the job as recorded.
     */
    public JobRecord endJob(long jobId, JobStreamRecord lastStream, AttemptEnd attempt, JobEnd job) {
        return sql.inTransaction(c -> {
            insertStream(c, jobId, lastStream);
            updateAttempt(c, jobId, attempt);
            updateJob(c, jobId, job);
            return read(c, jobId).orElseThrow();
        });
    }

    /**
     * Ends a job outside of its attempts (it crashed, or never ran): its RUNNING attempt, if any, ends with the same
     * status and error. Returns the job as recorded.
     */
    public JobRecord finish(long jobId, JobStatus status, long records, long bytes, String errorType, String errorMessage) {
        return sql.inTransaction(c -> {
            Sql.update(c, "UPDATE caravan_attempt SET status = ?, ended_at = ?, error_type = ?, error_message = ? WHERE job_id = ? AND status = ?",
                    status.name(), now(), errorType, scrub.apply(errorMessage), jobId, JobStatus.RUNNING.name());
            updateJob(c, jobId, new JobEnd(status, records, bytes, errorType, errorMessage));
            return read(c, jobId).orElseThrow();
        });
    }

    private int insertStream(Connection c, long jobId, JobStreamRecord stream) throws SQLException {
        return stream == null ? 0 : writeStream(c, jobId, stream, scrub.apply(stream.errorMessage()));
    }

    /**
     * Writes the row of one stream of one attempt, replacing the row its checkpoints wrote while it ran (see
     * {@link StreamStateRepository#commit}); {@code errorMessage} is already scrubbed.
     */
    static int writeStream(Connection c, long jobId, JobStreamRecord stream, String errorMessage) throws SQLException {
        Sql.update(c, "DELETE FROM caravan_job_stream WHERE job_id = ? AND attempt = ? AND stream_name = ?", jobId, stream.attempt(), stream.stream());
        return Sql.update(c, "INSERT INTO caravan_job_stream (job_id, attempt, stream_name, status, sync_mode, records, bytes_written, files, "
                        + "start_state, end_state, error_message, warnings, connectors, schema_changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                jobId, stream.attempt(), stream.stream(), stream.status().name(), stream.syncMode(), stream.records(), stream.bytes(), stream.files(),
                stream.startState() == null ? null : JsonColumns.write(stream.startState()),
                stream.endState() == null ? null : JsonColumns.write(stream.endState()), errorMessage, JsonColumns.writeTexts(stream.warnings()),
                stream.connectors(), SchemaColumns.writeChanges(stream.schemaChanges()));
    }

    private int updateAttempt(Connection c, long jobId, AttemptEnd attempt) throws SQLException {
        return Sql.update(c, "UPDATE caravan_attempt SET status = ?, ended_at = ?, records = ?, bytes_written = ?, error_type = ?, error_message = ? "
                        + "WHERE job_id = ? AND attempt = ?", attempt.status().name(), now(), attempt.records(), attempt.bytes(), attempt.errorType(),
                scrub.apply(attempt.errorMessage()), jobId, attempt.attempt());
    }

    private int updateJob(Connection c, long jobId, JobEnd job) throws SQLException {
        return Sql.update(c, "UPDATE caravan_job SET status = ?, ended_at = ?, records = ?, bytes_written = ?, error_type = ?, error_message = ? WHERE id = ?",
                job.status().name(), now(), job.records(), job.bytes(), job.errorType(), scrub.apply(job.errorMessage()), jobId);
    }

    /** How an attempt ended: its status, what it delivered, and its error (null when it succeeded). */
    public record AttemptEnd(int attempt, JobStatus status, long records, long bytes, String errorType, String errorMessage) {
    }

    /** How a job ended: its status, what all its attempts delivered, and its error (null when it succeeded). */
    public record JobEnd(JobStatus status, long records, long bytes, String errorType, String errorMessage) {
    }

    /**
     * Marks jobs left RUNNING (or QUEUED) by a server that stopped without finishing them, and returns them as recorded.
     * What their streams' committed checkpoints wrote (see {@link StreamStateRepository#commit}) is kept: each job and
     * attempt counts the records and bytes of its stream rows.
     */
    public List<JobRecord> markRunningAsInterrupted() {
        return sql.inTransaction(c -> interrupt(c, Sql.query(c, "SELECT id FROM caravan_job WHERE status IN (?, ?) ORDER BY id",
                rs -> rs.getLong(1), JobStatus.RUNNING.name(), JobStatus.QUEUED.name()), "the server stopped"));
    }

    /**
     * Cluster mode: ends as INTERRUPTED the jobs that node {@code nodeId}, which stopped answering, left running or queued,
     * keeping what their committed checkpoints wrote; {@code why} starts the message ("node x stopped answering").
     * A job another node already ended is left alone, so two nodes taking over at once end it once.
     */
    public List<JobRecord> markInterruptedOnNode(String nodeId, String why) {
        return sql.inTransaction(c -> {
            // one taker at a time per silent node (PostgreSQL, the only store of a cluster): no deadlock between takers
            Sql.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", rs -> null, "caravan-takeover-" + nodeId);
            return interrupt(c, Sql.query(c, "SELECT id FROM caravan_job WHERE status IN (?, ?) AND node_id = ? ORDER BY id",
                    rs -> rs.getLong(1), JobStatus.RUNNING.name(), JobStatus.QUEUED.name(), nodeId), why);
        });
    }

    private List<JobRecord> interrupt(Connection c, List<Long> ids, String why) throws SQLException {
        OffsetDateTime now = now();
        List<JobRecord> marked = new ArrayList<>(ids.size());
        for (long id : ids) {
            Sql.update(c, "UPDATE caravan_job_stream SET status = ?, error_message = ? WHERE status = ? AND job_id = ?", JobStatus.INTERRUPTED.name(),
                    why + " while this stream was running; what its committed checkpoints wrote is kept", JobStatus.RUNNING.name(), id);
            Sql.update(c, "UPDATE caravan_attempt SET status = ?, ended_at = ?, error_type = 'TRANSIENT', error_message = ?, "
                    + "records = (SELECT COALESCE(SUM(s.records), 0) FROM caravan_job_stream s WHERE s.job_id = caravan_attempt.job_id "
                    + "AND s.attempt = caravan_attempt.attempt), "
                    + "bytes_written = (SELECT COALESCE(SUM(s.bytes_written), 0) FROM caravan_job_stream s WHERE s.job_id = caravan_attempt.job_id "
                    + "AND s.attempt = caravan_attempt.attempt) WHERE status = ? AND job_id = ?",
                    JobStatus.INTERRUPTED.name(), now, why + " while this attempt was running", JobStatus.RUNNING.name(), id);
            Sql.update(c, "UPDATE caravan_job SET status = ?, ended_at = ?, error_type = 'TRANSIENT', error_message = ?, "
                    + "records = (SELECT COALESCE(SUM(s.records), 0) FROM caravan_job_stream s WHERE s.job_id = caravan_job.id), "
                    + "bytes_written = (SELECT COALESCE(SUM(s.bytes_written), 0) FROM caravan_job_stream s WHERE s.job_id = caravan_job.id) "
                    + "WHERE status IN (?, ?) AND id = ?", JobStatus.INTERRUPTED.name(), now, why + " while this job was running or queued",
                    JobStatus.RUNNING.name(), JobStatus.QUEUED.name(), id);
            read(c, id).ifPresent(marked::add);
        }
        return marked;
    }

    public Optional<JobRecord> find(long jobId) {
        return sql.inConnection(c -> read(c, jobId));
    }

    /** The newest job of a connection that ended with {@code status}. */
    public Optional<JobRecord> lastWithStatus(String connection, JobStatus status) {
        return sql.inConnection(c -> withDetails(c, Sql.query(c, "SELECT " + JOB_COLUMNS + " FROM caravan_job WHERE connection_name = ? AND status = ? "
                + "ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", JobRepository::jobRow, connection, status.name()))).stream().findFirst();
    }

    /** The newest jobs of a connection first. */
    public List<JobRecord> list(String connection, int limit) {
        return list(connection, limit, 0);
    }

    /** A page of the jobs of a connection, newest first. */
    public List<JobRecord> list(String connection, int limit, int offset) {
        return list(Optional.of(connection), Set.of(), limit, offset);
    }

    /**
     * A page of the jobs of {@code connection} (all connections when empty) whose status is one of {@code statuses}
     * (any when empty), newest first.
     */
    public List<JobRecord> list(Optional<String> connection, Set<JobStatus> statuses, int limit, int offset) {
        List<Object> params = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        connection.ifPresent(name -> {
            conditions.add("connection_name = ?");
            params.add(name);
        });
        if (!statuses.isEmpty()) {
            conditions.add("status IN (" + placeholders(statuses.size()) + ")");
            statuses.stream().map(JobStatus::name).sorted().forEach(params::add);
        }
        params.add(offset);
        params.add(limit);
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions) + " ";
        return sql.inConnection(c -> withDetails(c, Sql.query(c, "SELECT " + JOB_COLUMNS + " FROM caravan_job " + where
                + "ORDER BY id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY", JobRepository::jobRow, params.toArray())));
    }

    private static Optional<JobRecord> read(Connection c, long jobId) throws SQLException {
        return withDetails(c, Sql.query(c, "SELECT " + JOB_COLUMNS + " FROM caravan_job WHERE id = ?", JobRepository::jobRow, jobId)).stream().findFirst();
    }

    /** A job's own columns; its attempts and streams are read after its rows, on the same connection. */
    private record JobRow(long id, String connection, String trigger, JobStatus status, Instant startedAt, Instant endedAt, long records,
                          long bytes, String errorType, String errorMessage, Instant scheduledAt, String nodeId, String schemaChanges) {
    }

    private static JobRow jobRow(ResultSet rs) throws SQLException {
        OffsetDateTime ended = rs.getObject(6, OffsetDateTime.class);
        OffsetDateTime scheduled = rs.getObject(11, OffsetDateTime.class);
        return new JobRow(rs.getLong(1), rs.getString(2), rs.getString(3), JobStatus.valueOf(rs.getString(4)),
                rs.getObject(5, OffsetDateTime.class).toInstant(), ended == null ? null : ended.toInstant(),
                rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), scheduled == null ? null : scheduled.toInstant(), rs.getString(12),
                rs.getString(13));
    }

    /** The jobs of {@code rows} with their attempts and streams, read on the same connection once the rows are read. */
    private static List<JobRecord> withDetails(Connection c, List<JobRow> rows) throws SQLException {
        List<JobRecord> jobs = new ArrayList<>(rows.size());
        for (JobRow r : rows) {
            jobs.add(new JobRecord(r.id(), r.connection(), r.trigger(), r.status(), r.startedAt(), r.endedAt(), r.records(), r.bytes(),
                    r.errorType(), r.errorMessage(), attempts(c, r.id()), streams(c, r.id()), r.scheduledAt(), r.nodeId(),
                    SchemaColumns.readChanges(r.schemaChanges())));
        }
        return jobs;
    }

    private static List<AttemptRecord> attempts(Connection c, long jobId) throws SQLException {
        return Sql.query(c, "SELECT attempt, status, started_at, ended_at, records, bytes_written, error_type, error_message "
                        + "FROM caravan_attempt WHERE job_id = ? ORDER BY attempt",
                rs -> {
                    OffsetDateTime ended = rs.getObject(4, OffsetDateTime.class);
                    return new AttemptRecord(rs.getInt(1), JobStatus.valueOf(rs.getString(2)), rs.getObject(3, OffsetDateTime.class).toInstant(),
                            ended == null ? null : ended.toInstant(), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8));
                }, jobId);
    }

    private static List<JobStreamRecord> streams(Connection c, long jobId) throws SQLException {
        return Sql.query(c, "SELECT attempt, stream_name, status, sync_mode, records, bytes_written, files, start_state, end_state, error_message, warnings, connectors, schema_changes "
                        + "FROM caravan_job_stream WHERE job_id = ? ORDER BY attempt, stream_name",
                rs -> new JobStreamRecord(rs.getInt(1), rs.getString(2), JobStatus.valueOf(rs.getString(3)), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getInt(7), JsonColumns.read(rs.getString(8)), JsonColumns.read(rs.getString(9)), rs.getString(10),
                        JsonColumns.readTexts(rs.getString(11)), rs.getString(12), SchemaColumns.readChanges(rs.getString(13))),
                jobId);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
