package dev.caravan.state;

import java.time.Instant;
import dev.caravan.sync.SchemaChange;
import java.util.List;

/**
 * One sync job of a connection as recorded in the history: its outcome, totals over its attempts, each attempt, and
 * each stream of each attempt. {@code scheduledAt} is when the schedule meant a scheduled job to start (null for other
 * triggers): {@code startedAt - scheduledAt} is the scheduler's lag. {@code schemaChanges} are the changes of the connection's
 * stream list the job found (streams new in the source); the changes of each stream are on its stream records.
 */
public record JobRecord(long id, String connection, String trigger, JobStatus status, Instant startedAt, Instant endedAt,
                        long records, long bytes, String errorType, String errorMessage, List<AttemptRecord> attempts,
                        List<JobStreamRecord> streams, Instant scheduledAt, String nodeId, List<SchemaChange> schemaChanges) {
    public JobRecord {
        attempts = List.copyOf(attempts);
        streams = List.copyOf(streams);
        schemaChanges = schemaChanges == null ? List.of() : List.copyOf(schemaChanges);
    }

    /** Every schema change the job found: of its stream list (new streams) and of each stream. */
    public List<SchemaChange> allSchemaChanges() {
        List<SchemaChange> all = new java.util.ArrayList<>(schemaChanges);
        streams.forEach(stream -> all.addAll(stream.schemaChanges()));
        return all;
    }
}
