package dev.caravan.destination.parquet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The commit point of a stream's deduplicated snapshot, at {@link LakeLayout#snapshotPointerKey()}: the job that
 * wrote it, its files in key order, its row count, and the last raw data file merged into it (in publication order;
 * null = none). Snapshot parts it does not name are leftovers of a failed job.
 */
record SnapshotPointer(long job, long rows, @JsonProperty("merged_through") String mergedThrough, List<String> files) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    SnapshotPointer {
        files = List.copyOf(files);
    }

    static Optional<SnapshotPointer> read(LakeStorage storage, String key) throws IOException {
        if (!storage.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(storage.read(key), SnapshotPointer.class));
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the snapshot pointer", e);
        }
    }
}
