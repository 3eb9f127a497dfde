package dev.caravan.sync;

import java.util.Optional;

/** Where stream state lives. {@link #commit} is called only after the data the state covers is durable. */
public interface StreamStateStore {

    Optional<StreamState> load(String connection, String stream);

    void commit(String connection, String stream, StreamState state, long jobId);

    /**
     * Commits {@code state} together with what the job's stream has durably written so far (one transaction), so the job
     * history keeps it if the server dies before the job ends.
     */
    default void commit(String connection, String stream, StreamState state, long jobId, StreamProgress progress) {
        commit(connection, stream, state, jobId);
    }
}
