package dev.caravan.state;

import java.time.Instant;
import java.util.List;

/** One sync job of a connection as recorded in the history. */
public record JobRecord(long id, String connection, String trigger, JobStatus status, Instant startedAt, Instant endedAt,
                        long records, long bytes, String errorType, String errorMessage, List<JobStreamRecord> streams) {
    public JobRecord {
        streams = List.copyOf(streams);
    }
}
