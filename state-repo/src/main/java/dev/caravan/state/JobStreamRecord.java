package dev.caravan.state;

import java.util.Map;

/** The outcome of one stream within one attempt of a job, with the state it started from and the state it committed. */
public record JobStreamRecord(int attempt, String stream, JobStatus status, String syncMode, long records, long bytes, int files,
                              Map<String, Object> startState, Map<String, Object> endState, String errorMessage) {
}
