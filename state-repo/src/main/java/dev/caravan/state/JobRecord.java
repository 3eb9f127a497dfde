package dev.caravan.state;

import java.time.Instant;
import java.util.List;

/**
 * One sync job of a connection as recorded in the history: its outcome, totals over its attempts, each attempt, and
 * each stream of each attempt. {@code scheduledAt} is when the schedule meant a scheduled job to start (null for other
 * triggers): {@code startedAt - scheduledAt} is the scheduler's lag.
 */
public record JobRecord(long id, String connection, String trigger, JobStatus status, Instant startedAt, Instant endedAt,
                        long records, long bytes, String errorType, String errorMessage, List<AttemptRecord> attempts,
                        List<JobStreamRecord> streams, Instant scheduledAt, String nodeId) {
    public JobRecord {
        attempts = List.copyOf(attempts);
        streams = List.copyOf(streams);
    }
}
