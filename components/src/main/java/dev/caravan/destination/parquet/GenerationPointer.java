package dev.caravan.destination.parquet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The commit point of a full_refresh_overwrite stream, at {@link LakeLayout#currentPointerKey()}: the generation readers
 * take as the stream's content ({@code generation}, in {@code directory}, made of exactly {@code files}), and the replaced
 * generations whose files still stay for the grace period ({@code retired}). Written atomically once every file of the
 * generation is published, and only then: a generation it does not name is either being written or being deleted.
 *
 * @param streamPrefix the stream's raw directory, so that startup recovery can delete retired generations knowing only
 *                     this file
 */
record GenerationPointer(long generation, long job, @JsonProperty("committed_at") String committedAt,
                         @JsonProperty("stream_prefix") String streamPrefix, String directory, List<String> files,
                         List<Retired> retired) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A replaced generation whose files stay until {@code retiredAt} + grace period. Generation -1 stands for data files
     * outside any generation directory (written before generations, or by another sync mode of the stream).
     */
    record Retired(long generation, @JsonProperty("retired_at") String retiredAt) {
        boolean expired(Instant now, Duration grace) {
            return !Instant.parse(retiredAt).plus(grace).isAfter(now);
        }
    }

    GenerationPointer {
        files = List.copyOf(files);
        retired = retired == null ? List.of() : List.copyOf(retired);
    }

    /** This pointer without the retired generations in {@code gone}. */
    GenerationPointer without(List<Retired> gone) {
        return new GenerationPointer(generation, job, committedAt, streamPrefix, directory, files,
                retired.stream().filter(r -> !gone.contains(r)).toList());
    }

    static Optional<GenerationPointer> read(LakeStorage storage, String key) throws IOException {
        if (!storage.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(storage.read(key), GenerationPointer.class));
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the generation pointer", e);
        }
    }
}
