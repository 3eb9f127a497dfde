package dev.caravan.state;

import dev.caravan.sync.SchemaChange;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one stream within one attempt of a job, with the state it started from and the state it committed,
 * the warnings about the read an operator should see (e.g. rows added later that the next sync will not read), and
 * the connectors with their versions that ran it ({@code connectors}, e.g. {@code faker 0.1.0 -> local 0.1.0}; null
 * while the stream runs and for rows written before versions were recorded), and the changes of the source's schema found
 * before it ran with what was done about them ({@code schemaChanges}).
 */
public record JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                              Map<String, Object> startState, Map<String, Object> endState, String errorMessage, List<String> warnings,
                              String connectors, List<SchemaChange> schemaChanges) {
    public JobStreamRecord {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        schemaChanges = schemaChanges == null ? List.of() : List.copyOf(schemaChanges);
    }

    public JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                           Map<String, Object> startState, Map<String, Object> endState, String errorMessage, List<String> warnings,
                           String connectors) {
        this(attempt, stream, status, syncMode, records, bytes, files, startState, endState, errorMessage, warnings, connectors, List.of());
    }

    public JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                           Map<String, Object> startState, Map<String, Object> endState, String errorMessage) {
        this(attempt, stream, status, syncMode, records, bytes, files, startState, endState, errorMessage, List.of(), null);
    }
}
