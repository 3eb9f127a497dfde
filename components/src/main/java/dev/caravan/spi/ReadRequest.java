package dev.caravan.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to read from one stream: the fields wanted (empty = all), the sync mode, the cursor and primary key
 * for incremental reads, the state saved by the last committed checkpoint (empty on a first sync) and
 * the maximum number of rows per batch. {@code splitReads} is the stream's own wish about reading it in parallel key
 * ranges ({@link SplitReads}); null leaves it to the source's settings.
 */
public record ReadRequest(String stream, List<String> fields, SyncMode syncMode, String cursorField,
                          List<String> primaryKey, Map<String, Object> state, int batchSize, SplitReads splitReads) {
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

    /** A request that leaves split reads to the source's settings. */
    public ReadRequest(String stream, List<String> fields, SyncMode syncMode, String cursorField, List<String> primaryKey,
                       Map<String, Object> state, int batchSize) {
        this(stream, fields, syncMode, cursorField, primaryKey, state, batchSize, null);
    }

    /** This request resuming from {@code state}. */
    public ReadRequest withState(Map<String, Object> state) {
        return new ReadRequest(stream, fields, syncMode, cursorField, primaryKey, state, batchSize, splitReads);
    }
}
