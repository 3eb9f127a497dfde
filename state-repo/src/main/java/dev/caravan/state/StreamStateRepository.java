package dev.caravan.state;

import dev.caravan.sync.StreamProgress;
import dev.caravan.sync.StreamSchema;
import dev.caravan.sync.StreamState;
import dev.caravan.sync.StreamStateStore;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stream state in the metadata store; every commit is also appended to the state history. Also keeps the schema each stream
 * was last synced with (schema change detection).
 */
public final class StreamStateRepository implements StreamStateStore {
    private final Sql sql;
    private final boolean fenced;

    public StreamStateRepository(DataSource dataSource) {
        this(dataSource, false);
    }

    /**
     * {@code fenced} (cluster mode): a job commits only while its connection's lease names it, so a node that was taken
     * for dead and whose job another node took over cannot move the state any more.
     */
    public StreamStateRepository(DataSource dataSource, boolean fenced) {
        this.sql = new Sql(dataSource);
        this.fenced = fenced;
    }

    @Override
    public Optional<StreamState> load(String connection, String stream) {
        return sql.queryOne("SELECT state, generation_id FROM caravan_stream_state WHERE connection_name = ? AND stream_name = ?",
                rs -> new StreamState(JsonColumns.read(rs.getString(1)), rs.getLong(2)), connection, stream);
    }

    @Override
    public void commit(String connection, String stream, StreamState state, long jobId) {
        commit(connection, stream, state, jobId, null);
    }

    /** The state, and the job's RUNNING stream row with {@code progress} (when given), in one transaction. */
    @Override
    public void commit(String connection, String stream, StreamState state, long jobId, StreamProgress progress) {
        String json = JsonColumns.write(state.state());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sql.inTransaction(c -> {
            if (fenced) {
                requireLease(c, connection, jobId);
            }
            if (progress != null) {
                JobRepository.writeStream(c, jobId, new JobStreamRecord(progress.attempt(), stream, JobStatus.RUNNING, progress.syncMode(),
                        progress.records(), progress.bytes(), progress.files(), progress.startState(), state.state(), null), null);
            }
            int updated = Sql.update(c, "UPDATE caravan_stream_state SET state = ?, generation_id = ?, job_id = ?, updated_at = ? "
                    + "WHERE connection_name = ? AND stream_name = ?", json, state.generationId(), jobId, now, connection, stream);
            if (updated == 0) {
                Sql.update(c, "INSERT INTO caravan_stream_state (connection_name, stream_name, state, generation_id, job_id, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", connection, stream, json, state.generationId(), jobId, now);
            }
            Sql.update(c, "INSERT INTO caravan_stream_state_history (connection_name, stream_name, state, generation_id, job_id, committed_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", connection, stream, json, state.generationId(), jobId, now);
            return null;
        });
    }

    private static void requireLease(java.sql.Connection c, String connection, long jobId) throws java.sql.SQLException {
        List<String> holders = Sql.query(c, "SELECT node_id || ' (job ' || COALESCE(CAST(job_id AS VARCHAR(20)), '-') || ')' "
                + "FROM caravan_connection_lease WHERE connection_name = ? AND job_id = ? FOR SHARE", rs -> rs.getString(1), connection, jobId);
        if (holders.isEmpty()) {
            throw new dev.caravan.spi.CaravanException(dev.caravan.spi.ErrorType.CONFIG, "job " + jobId + " no longer holds the lease of connection "
                    + connection + ": its node was silent for longer than caravan.cluster.lease-timeout-ms and another node took the "
                    + "connection over; nothing more of this job is committed (the other node's job resumes from the last commit)");
        }
    }

    @Override
    public Optional<StreamSchema> schema(String connection, String stream) {
        return sql.queryOne("SELECT stream_schema FROM caravan_stream_schema WHERE connection_name = ? AND stream_name = ?",
                rs -> SchemaColumns.readSchema(rs.getString(1)), connection, stream);
    }

    @Override
    public void saveSchema(String connection, String stream, StreamSchema schema) {
        String json = SchemaColumns.writeSchema(schema);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sql.inTransaction(c -> {
            int updated = Sql.update(c, "UPDATE caravan_stream_schema SET stream_schema = ?, updated_at = ? WHERE connection_name = ? AND stream_name = ?",
                    json, now, connection, stream);
            if (updated == 0) {
                Sql.update(c, "INSERT INTO caravan_stream_schema (connection_name, stream_name, stream_schema, updated_at) VALUES (?, ?, ?, ?)",
                        connection, stream, json, now);
            }
            return null;
        });
    }

    @Override
    public Optional<List<String>> knownStreams(String connection, String source) {
        return sql.queryOne("SELECT streams FROM caravan_connection_streams WHERE connection_name = ? AND source_name = ?",
                rs -> JsonColumns.readTexts(rs.getString(1)), connection, source);
    }

    @Override
    public void saveKnownStreams(String connection, String source, List<String> streams) {
        String json = JsonColumns.writeTexts(streams);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sql.inTransaction(c -> {
            int updated = Sql.update(c, "UPDATE caravan_connection_streams SET streams = ?, updated_at = ? WHERE connection_name = ? AND source_name = ?",
                    json == null ? "[]" : json, now, connection, source);
            if (updated == 0) {
                Sql.update(c, "INSERT INTO caravan_connection_streams (connection_name, source_name, streams, updated_at) VALUES (?, ?, ?, ?)",
                        connection, source, json == null ? "[]" : json, now);
            }
            return null;
        });
    }

    /**
     * Forgets the schema the streams were last synced with (all of the connection's when {@code streams} is empty): their
     * next sync takes the source's schema as it is then, without reporting changes (for all streams: the source's stream
     * list too). Returns the streams forgotten.
     */
    public List<String> forgetSchemas(String connection, List<String> streams) {
        List<String> known = sql.query("SELECT stream_name FROM caravan_stream_schema WHERE connection_name = ? ORDER BY stream_name",
                rs -> rs.getString(1), connection);
        List<String> forgotten = streams.isEmpty() ? known : known.stream().filter(streams::contains).toList();
        forgotten.forEach(stream -> sql.update("DELETE FROM caravan_stream_schema WHERE connection_name = ? AND stream_name = ?", connection, stream));
        if (streams.isEmpty()) {
            // the stream list too: streams new in the source are taken as they are at the next sync
            sql.update("DELETE FROM caravan_connection_streams WHERE connection_name = ?", connection);
        }
        return forgotten;
    }

    /**
     * Clears the state of a stream so its next sync starts over, in a new generation; the history keeps what was
     * there (a row with no job marks the reset).
     */
    public void reset(String connection, String stream) {
        long generation = load(connection, stream).map(StreamState::generationId).orElse(0L) + 1;
        String empty = JsonColumns.write(java.util.Map.of());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sql.inTransaction(c -> {
            int updated = Sql.update(c, "UPDATE caravan_stream_state SET state = ?, generation_id = ?, job_id = NULL, updated_at = ? "
                    + "WHERE connection_name = ? AND stream_name = ?", empty, generation, now, connection, stream);
            if (updated == 0) {
                Sql.update(c, "INSERT INTO caravan_stream_state (connection_name, stream_name, state, generation_id, job_id, updated_at) "
                        + "VALUES (?, ?, ?, ?, NULL, ?)", connection, stream, empty, generation, now);
            }
            Sql.update(c, "INSERT INTO caravan_stream_state_history (connection_name, stream_name, state, generation_id, job_id, committed_at) "
                    + "VALUES (?, ?, ?, ?, NULL, ?)", connection, stream, empty, generation, now);
            // a reset stream starts over with the source's schema as it is at its next sync
            Sql.update(c, "DELETE FROM caravan_stream_schema WHERE connection_name = ? AND stream_name = ?", connection, stream);
            return null;
        });
    }

    /** Forgets the current state of every stream of a deleted connection; the history is kept. */
    public void deleteConnection(String connection) {
        sql.update("DELETE FROM caravan_stream_state WHERE connection_name = ?", connection);
        sql.update("DELETE FROM caravan_stream_schema WHERE connection_name = ?", connection);
        sql.update("DELETE FROM caravan_connection_streams WHERE connection_name = ?", connection);
    }

    /** The streams of a connection that have state. */
    public List<String> streams(String connection) {
        return sql.query("SELECT stream_name FROM caravan_stream_state WHERE connection_name = ? ORDER BY stream_name",
                rs -> rs.getString(1), connection);
    }

    /**
     * Deletes the state history committed before {@code before} (the retention of {@code caravan.retention.state-history-days});
     * the current state of each stream is kept in its own table. Returns how many rows went.
     */
    public int pruneHistory(java.time.Instant before) {
        return sql.update("DELETE FROM caravan_stream_state_history WHERE committed_at < ?", before.atOffset(ZoneOffset.UTC));
    }

    /** The states committed for a stream, oldest first. */
    public List<StreamState> history(String connection, String stream) {
        return sql.query("SELECT state, generation_id FROM caravan_stream_state_history WHERE connection_name = ? AND stream_name = ? ORDER BY id",
                rs -> new StreamState(JsonColumns.read(rs.getString(1)), rs.getLong(2)), connection, stream);
    }
}
