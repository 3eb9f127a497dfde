package dev.caravan.sync;

import java.util.Map;

/**
 * What one stream of one job attempt has durably written when a checkpoint is committed: kept with the state, so a job
 * the server never finished (killed) still shows the records, bytes and files it delivered.
 */
public record StreamProgress(int attempt, String syncMode, Map<String, Object> startState, long records, long bytes, int files) {
    public StreamProgress {
        startState = startState == null ? Map.of() : Map.copyOf(startState);
    }
}
