package dev.caravan.sync;

import java.util.Optional;

/** Where stream state lives. {@link #commit} is called only after the data the state covers is durable. */
public interface StreamStateStore {

    Optional<StreamState> load(String connection, String stream);

    void commit(String connection, String stream, StreamState state, long jobId);
}
