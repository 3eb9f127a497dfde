package dev.caravan.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to write one stream for one job: destination namespace and stream prefix, sync mode, schema
 * of the incoming batches, primary key, the job and attempt (for deterministic file names), the generation
 * the rows belong to, and the extraction time recorded in {@code _airbyte_extracted_at}.
 */
public record WriteRequest(String connection, String stream, String namespace, String prefix, SyncMode syncMode,
                           Schema schema, List<String> primaryKey, long jobId, int attempt, long generationId,
                           Instant extractedAt) {
    public WriteRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(syncMode, "syncMode");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(extractedAt, "extractedAt");
        namespace = namespace == null ? "" : namespace;
        prefix = prefix == null ? "" : prefix;
        primaryKey = List.copyOf(primaryKey);
    }
}
