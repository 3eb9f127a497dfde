package dev.caravan.state;

import java.util.Map;

/**
 * The outcome of one stream within one attempt of a job, with the state it started from and the state it committed, and
 * the connectors with their versions that ran it ({@code connectors}, e.g. {@code faker 0.1.0 -> local 0.1.0}; null
 * while the stream runs and for rows written before versions were recorded).
 */
public record JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                              Map<String, Object> startState, Map<String, Object> endState, String errorMessage, String connectors) {

    public JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                           Map<String, Object> startState, Map<String, Object> endState, String errorMessage) {
        this(attempt, stream, status, syncMode, records, bytes, files, startState, endState, errorMessage, null);
    }
}
