package dev.caravan.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to read from one stream: the fields wanted (empty = all), the sync mode, the cursor and primary key
 * for incremental reads, the state saved by the last committed checkpoint (empty on a first sync) and
 * the maximum number of rows per batch.
 */
public record ReadRequest(String stream, List<String> fields, SyncMode syncMode, String cursorField,
                          List<String> primaryKey, Map<String, Object> state, int batchSize) {
    public ReadRequest {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(syncMode, "syncMode");
        fields = List.copyOf(fields);
        primaryKey = List.copyOf(primaryKey);
        state = state == null ? Map.of() : Map.copyOf(state);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        if (syncMode.incremental() && cursorField == null) {
            throw new IllegalArgumentException("incremental reads need a cursor field");
        }
    }
}
