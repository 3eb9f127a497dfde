package dev.caravan.state;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one stream within one attempt of a job, with the state it started from and the state it committed,
 * the warnings about the read an operator should see (e.g. rows added later that the next sync will not read), and
 * the connectors with their versions that ran it ({@code connectors}, e.g. {@code faker 0.1.0 -> local 0.1.0}; null
 * while the stream runs and for rows written before versions were recorded).
 */
public record JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                              Map<String, Object> startState, Map<String, Object> endState, String errorMessage, List<String> warnings,
                              String connectors) {
    public JobStreamRecord {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                           Map<String, Object> startState, Map<String, Object> endState, String errorMessage) {
        this(attempt, stream, status, syncMode, records, bytes, files, startState, endState, errorMessage, List.of(), null);
    }
}
