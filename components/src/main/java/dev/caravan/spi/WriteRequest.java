package dev.caravan.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to write one stream for one job: destination namespace and stream prefix, sync mode, schema
 * of the incoming batches, primary key, the job and attempt (for deterministic file names), the generation
 * the rows belong to, the extraction time recorded in {@code _airbyte_extracted_at}, and the committed state the
 * read resumes from ({@code startState}: empty for full refresh and first syncs).
 *
 * <p>{@code startState} lets a destination recognise a re-read: files it published after that state, whose checkpoint
 * was never committed (a crash between publishing and committing), hold rows that will be written again.
 *
 * <p>{@code replayOfCommittedRows} marks a replay of an earlier job: its rows are already committed elsewhere in the
 * lake, so the destination must neither take back files nor record what it publishes for a later take-back.
 */
public record WriteRequest(String connection, String stream, String namespace, String prefix, SyncMode syncMode,
                           Schema schema, List<String> primaryKey, long jobId, int attempt, long generationId,
                           Instant extractedAt, Map<String, Object> startState, boolean replayOfCommittedRows) {
    public WriteRequest(String connection, String stream, String namespace, String prefix, SyncMode syncMode, Schema schema,
                        List<String> primaryKey, long jobId, int attempt, long generationId, Instant extractedAt) {
        this(connection, stream, namespace, prefix, syncMode, schema, primaryKey, jobId, attempt, generationId, extractedAt, Map.of(), false);
    }

    public WriteRequest(String connection, String stream, String namespace, String prefix, SyncMode syncMode, Schema schema,
                        List<String> primaryKey, long jobId, int attempt, long generationId, Instant extractedAt, Map<String, Object> startState) {
        this(connection, stream, namespace, prefix, syncMode, schema, primaryKey, jobId, attempt, generationId, extractedAt, startState, false);
    }

    public WriteRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(syncMode, "syncMode");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(extractedAt, "extractedAt");
        namespace = namespace == null ? "" : namespace;
        prefix = prefix == null ? "" : prefix;
        primaryKey = List.copyOf(primaryKey);
        startState = startState == null ? Map.of() : Map.copyOf(startState);
    }
}
