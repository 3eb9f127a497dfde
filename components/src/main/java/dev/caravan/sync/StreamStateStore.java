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

    /** The schema the stream was last synced with; empty before its first sync with change detection. */
    default Optional<StreamSchema> schema(String connection, String stream) {
        return Optional.empty();
    }

    /** Records the schema the stream's last successful sync wrote (after its data and state are committed). */
    default void saveSchema(String connection, String stream, StreamSchema schema) {
    }

    /** The streams {@code source} offered when the connection last checked its stream list; empty before the first check. */
    default Optional<java.util.List<String>> knownStreams(String connection, String source) {
        return Optional.empty();
    }

    default void saveKnownStreams(String connection, String source, java.util.List<String> streams) {
    }
}
