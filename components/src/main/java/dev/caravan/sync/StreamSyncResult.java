package dev.caravan.sync;

import dev.caravan.spi.ErrorType;
import dev.caravan.spi.SyncMode;
import java.util.Map;

/**
 * What syncing one stream achieved; on failure {@code endState} is the last state committed (may equal the start).
 * {@code rowsWithChanges} counts the rows whose {@code _airbyte_meta} lists changes. {@code connectors} names the source
 * and destination connectors with their versions, e.g. {@code faker 0.1.0 -> local 0.1.0} (null when none was reached).
 */
public record StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                               Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error,
                               long rowsWithChanges, String connectors) {

    public StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                            Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error,
                            long rowsWithChanges) {
        this(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error, rowsWithChanges, null);
    }

    public StreamSyncResult withConnectors(String used) {
        return new StreamSyncResult(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error,
                rowsWithChanges, used);
    }

    public StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                            Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error) {
        this(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error, 0);
    }
}
