package dev.caravan.sync;

import dev.caravan.spi.ErrorType;
import dev.caravan.spi.SyncMode;
import java.util.List;
import java.util.Map;

/**
 * What syncing one stream achieved; on failure {@code endState} is the last state committed (may equal the start).
 * {@code rowsWithChanges} counts the rows whose {@code _airbyte_meta} lists changes; {@code warnings} are the notes on
 * the read an operator should see (see {@code StreamReader#warnings}). {@code connectors} names the source and
 * destination connectors with their versions, e.g. {@code faker 0.1.0 -> local 0.1.0} (null when none was reached);
 * {@code schemaChanges} what changed in the source's schema since the last sync and what was done about it.
 */
public record StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                               Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error,
                               long rowsWithChanges, List<String> warnings, String connectors, List<SchemaChange> schemaChanges) {

    public StreamSyncResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        schemaChanges = schemaChanges == null ? List.of() : List.copyOf(schemaChanges);
    }

    public StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                            Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error,
                            long rowsWithChanges, List<String> warnings, String connectors) {
        this(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error, rowsWithChanges, warnings, connectors, List.of());
    }

    public StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                            Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error,
                            long rowsWithChanges, List<String> warnings) {
        this(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error, rowsWithChanges, warnings, null);
    }

    public StreamSyncResult(String stream, SyncMode syncMode, boolean succeeded, long records, long bytes, int files,
                            Map<String, Object> startState, Map<String, Object> endState, ErrorType errorType, String error) {
        this(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error, 0, List.of(), null);
    }

    public StreamSyncResult withConnectors(String used) {
        return new StreamSyncResult(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error,
                rowsWithChanges, warnings, used, schemaChanges);
    }

    /** This result with {@code more} warnings after its own. */
    public StreamSyncResult withWarnings(List<String> more) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new StreamSyncResult(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error,
                rowsWithChanges, all, connectors, schemaChanges);
    }

    public StreamSyncResult withSchemaChanges(List<SchemaChange> changes) {
        return new StreamSyncResult(stream, syncMode, succeeded, records, bytes, files, startState, endState, errorType, error,
                rowsWithChanges, warnings, connectors, changes);
    }
}
