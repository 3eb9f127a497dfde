package dev.caravan.sync;

import java.util.Map;

/**
 * The committed position of one stream of one connection: the connector's opaque state map
 * (resume strictly after it) and the generation its rows belong to.
 */
public record StreamState(Map<String, Object> state, long generationId) {
    public static final StreamState INITIAL = new StreamState(Map.of(), 0);

    public StreamState {
        state = state == null ? Map.of() : Map.copyOf(state);
        if (generationId < 0) {
            throw new IllegalArgumentException("generationId must be >= 0");
        }
    }
}
