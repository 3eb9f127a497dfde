package dev.caravan.sync;

import java.util.Map;

/**
 * What a replayed stream reads: from the state its original job started at, exactly as many records as that job
 * delivered. Sources read in a stable order (cursor, then key), so an incremental stream gets the same rows again.
 */
public record ReplayBounds(Map<String, Object> startState, long records) {
    public ReplayBounds {
        startState = startState == null ? Map.of() : Map.copyOf(startState);
        if (records < 0) {
            throw new IllegalArgumentException("records must be >= 0");
        }
    }
}
