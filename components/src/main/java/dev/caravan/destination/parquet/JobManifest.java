package dev.caravan.destination.parquet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * The record of one committed job of one stream, written atomically at {@link LakeLayout#manifestKey()}. In
 * incremental_append_deduped mode it also names the snapshot the job left ({@code snapshotFiles}, {@code snapshotRows});
 * both are absent in other modes and when the job merged nothing new. In full_refresh_overwrite mode
 * {@code generationFiles} names every file of the generation the job completed (with those of an interrupted job it
 * resumed), which is then the stream's whole content; {@code files} only those this job wrote.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobManifest(String connection, String namespace, String stream, String prefix, String syncMode, long jobId, int attempt,
                   long generationId, String extractedAt, long records, long bytes, List<String> files,
                   List<String> snapshotFiles, Long snapshotRows, List<String> generationFiles) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    JobManifest {
        files = List.copyOf(files);
        snapshotFiles = snapshotFiles == null ? null : List.copyOf(snapshotFiles);
        generationFiles = generationFiles == null ? null : List.copyOf(generationFiles);
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the job manifest", e);
        }
    }
}
