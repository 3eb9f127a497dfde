package dev.caravan.state;

import dev.caravan.sync.StreamState;
import dev.caravan.sync.StreamStateStore;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Stream state in the metadata store; every commit is also appended to the state history. */
public final class StreamStateRepository implements StreamStateStore {
    private final Sql sql;

    public StreamStateRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public Optional<StreamState> load(String connection, String stream) {
        return sql.queryOne("SELECT state, generation_id FROM caravan_stream_state WHERE connection_name = ? AND stream_name = ?",
                rs -> new StreamState(JsonColumns.read(rs.getString(1)), rs.getLong(2)), connection, stream);
    }

    @Override
    public void commit(String connection, String stream, StreamState state, long jobId) {
        String json = JsonColumns.write(state.state());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        sql.inTransaction(c -> {
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

    /** The states committed for a stream, oldest first. */
    public List<StreamState> history(String connection, String stream) {
        return sql.query("SELECT state, generation_id FROM caravan_stream_state_history WHERE connection_name = ? AND stream_name = ? ORDER BY id",
                rs -> new StreamState(JsonColumns.read(rs.getString(1)), rs.getLong(2)), connection, stream);
    }
}
