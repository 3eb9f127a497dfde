package dev.caravan.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The job history: a row per sync job and a row per stream of it. */
public final class JobRepository {
    private static final String JOB_COLUMNS =
            "id, connection_name, trigger_type, status, started_at, ended_at, records, bytes_written, error_type, error_message, scheduled_at";
    private final Sql sql;

    public JobRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** A RUNNING job started at {@code startedAt} (the instant also written to {@code _airbyte_extracted_at}). */
    public long start(String connection, String trigger, Instant startedAt) {
        return start(connection, trigger, startedAt, null);
    }

    /** A RUNNING job; {@code scheduledAt} is when its schedule meant it to start (null when not scheduled). */
    public long start(String connection, String trigger, Instant startedAt, Instant scheduledAt) {
        return sql.insertReturningId("INSERT INTO caravan_job (connection_name, trigger_type, status, started_at, records, bytes_written, scheduled_at) "
                + "VALUES (?, ?, ?, ?, 0, 0, ?)", connection, trigger, JobStatus.RUNNING.name(), startedAt.atOffset(ZoneOffset.UTC),
                scheduledAt == null ? null : scheduledAt.atOffset(ZoneOffset.UTC));
    }

    /** A job row that did not run (SKIPPED) or waits (QUEUED), with the reason. */
    public long record(String connection, String trigger, JobStatus status, String reason) {
        long id = sql.insertReturningId("INSERT INTO caravan_job (connection_name, trigger_type, status, started_at, records, bytes_written, error_message) "
                + "VALUES (?, ?, ?, ?, 0, 0, ?)", connection, trigger, status.name(), now(), reason);
        if (status != JobStatus.QUEUED) {
            sql.update("UPDATE caravan_job SET ended_at = started_at WHERE id = ?", id);
        }
        return id;
    }

    /** A queued job starts running now. */
    public void markRunning(long jobId, Instant startedAt) {
        sql.update("UPDATE caravan_job SET status = ?, started_at = ?, error_message = NULL WHERE id = ?", JobStatus.RUNNING.name(),
                startedAt.atOffset(ZoneOffset.UTC), jobId);
    }

    public void startAttempt(long jobId, int attempt) {
        sql.update("INSERT INTO caravan_attempt (job_id, attempt, status, started_at, records, bytes_written) VALUES (?, ?, ?, ?, 0, 0)",
                jobId, attempt, JobStatus.RUNNING.name(), now());
    }

    public void finishAttempt(long jobId, int attempt, JobStatus status, long records, long bytes, String errorType, String errorMessage) {
        sql.update("UPDATE caravan_attempt SET status = ?, ended_at = ?, records = ?, bytes_written = ?, error_type = ?, error_message = ? "
                + "WHERE job_id = ? AND attempt = ?", status.name(), now(), records, bytes, errorType, errorMessage, jobId, attempt);
    }

    public void recordStream(long jobId, JobStreamRecord stream) {
        sql.update("INSERT INTO caravan_job_stream (job_id, attempt, stream_name, status, sync_mode, records, bytes_written, files, start_state, "
                        + "end_state, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                jobId, stream.attempt(), stream.stream(), stream.status().name(), stream.syncMode(), stream.records(), stream.bytes(), stream.files(),
                stream.startState() == null ? null : JsonColumns.write(stream.startState()),
                stream.endState() == null ? null : JsonColumns.write(stream.endState()), stream.errorMessage());
    }

    public void finish(long jobId, JobStatus status, long records, long bytes, String errorType, String errorMessage) {
        sql.update("UPDATE caravan_job SET status = ?, ended_at = ?, records = ?, bytes_written = ?, error_type = ?, error_message = ? WHERE id = ?",
                status.name(), now(), records, bytes, errorType, errorMessage, jobId);
    }

    /** Marks jobs left RUNNING by a server that stopped without finishing them; returns how many. */
    public int markRunningAsInterrupted() {
        sql.update("UPDATE caravan_attempt SET status = ?, ended_at = ?, error_type = 'TRANSIENT', "
                + "error_message = 'the server stopped while this attempt was running' WHERE status = ?",
                JobStatus.INTERRUPTED.name(), now(), JobStatus.RUNNING.name());
        return sql.update("UPDATE caravan_job SET status = ?, ended_at = ?, error_type = 'TRANSIENT', "
                + "error_message = 'the server stopped while this job was running or queued' WHERE status IN (?, ?)",
                JobStatus.INTERRUPTED.name(), now(), JobStatus.RUNNING.name(), JobStatus.QUEUED.name());
    }

    public Optional<JobRecord> find(long jobId) {
        return sql.queryOne("SELECT " + JOB_COLUMNS + " FROM caravan_job WHERE id = ?", JobRepository::jobRow, jobId).map(this::withDetails);
    }

    /** The newest job of a connection that ended with {@code status}. */
    public Optional<JobRecord> lastWithStatus(String connection, JobStatus status) {
        return sql.queryOne("SELECT " + JOB_COLUMNS + " FROM caravan_job WHERE connection_name = ? AND status = ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY",
                JobRepository::jobRow, connection, status.name()).map(this::withDetails);
    }

    /** The newest jobs of a connection first. */
    public List<JobRecord> list(String connection, int limit) {
        return list(connection, limit, 0);
    }

    /** A page of the jobs of a connection, newest first. */
    public List<JobRecord> list(String connection, int limit, int offset) {
        return sql.query("SELECT " + JOB_COLUMNS + " FROM caravan_job WHERE connection_name = ? ORDER BY id DESC OFFSET ? ROWS FETCH FIRST ? ROWS ONLY",
                JobRepository::jobRow, connection, offset, limit).stream().map(this::withDetails).toList();
    }

    /** A job's own columns; its attempts and streams are read after its query has handed its connection back. */
    private record JobRow(long id, String connection, String trigger, JobStatus status, Instant startedAt, Instant endedAt, long records,
                          long bytes, String errorType, String errorMessage, Instant scheduledAt) {
    }

    private static JobRow jobRow(ResultSet rs) throws SQLException {
        OffsetDateTime ended = rs.getObject(6, OffsetDateTime.class);
        OffsetDateTime scheduled = rs.getObject(11, OffsetDateTime.class);
        return new JobRow(rs.getLong(1), rs.getString(2), rs.getString(3), JobStatus.valueOf(rs.getString(4)),
                rs.getObject(5, OffsetDateTime.class).toInstant(), ended == null ? null : ended.toInstant(),
                rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), scheduled == null ? null : scheduled.toInstant());
    }

    /**
     * Never called while a query holds a connection: a second connection taken inside a first one deadlocks the pool
     * once as many threads as it has connections do it at the same time (seen with 2,000 scheduled connections).
     */
    private JobRecord withDetails(JobRow r) {
        return new JobRecord(r.id(), r.connection(), r.trigger(), r.status(), r.startedAt(), r.endedAt(), r.records(), r.bytes(),
                r.errorType(), r.errorMessage(), attempts(r.id()), streams(r.id()), r.scheduledAt());
    }

    private List<AttemptRecord> attempts(long jobId) {
        return sql.query("SELECT attempt, status, started_at, ended_at, records, bytes_written, error_type, error_message "
                        + "FROM caravan_attempt WHERE job_id = ? ORDER BY attempt",
                rs -> {
                    OffsetDateTime ended = rs.getObject(4, OffsetDateTime.class);
                    return new AttemptRecord(rs.getInt(1), JobStatus.valueOf(rs.getString(2)), rs.getObject(3, OffsetDateTime.class).toInstant(),
                            ended == null ? null : ended.toInstant(), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8));
                }, jobId);
    }

    private List<JobStreamRecord> streams(long jobId) {
        return sql.query("SELECT attempt, stream_name, status, sync_mode, records, bytes_written, files, start_state, end_state, error_message "
                        + "FROM caravan_job_stream WHERE job_id = ? ORDER BY attempt, stream_name",
                rs -> new JobStreamRecord(rs.getInt(1), rs.getString(2), JobStatus.valueOf(rs.getString(3)), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getInt(7), JsonColumns.read(rs.getString(8)), JsonColumns.read(rs.getString(9)), rs.getString(10)),
                jobId);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
