package dev.caravan.sync;

import dev.caravan.spi.ErrorType;
import dev.caravan.spi.SyncMode;
import java.util.List;
import java.util.Map;

/**
 * What syncing one stream achieved; on failure {@code endState} is the last state committed (may equal the start).
 * {@code rowsWithChanges} counts the rows whose {@code _airbyte_meta} lists changes; {@code warnings} are the source's
 * notes on the read (see {@code StreamReader#warnings}).
 */
public record StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                               Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error,
                               long rowsWithChanges, List<String> warnings) {

    public StreamSyncResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                            Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error) {
        this(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error, 0, List.of());
    }
}
