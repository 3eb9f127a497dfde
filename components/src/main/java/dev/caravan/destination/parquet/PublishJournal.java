package dev.caravan.destination.parquet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.spi.WriteRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files a job is about to publish and the committed state their rows start after, written (atomically, at
 * {@link LakeLayout#journalKey()}) before the first of them appears. It closes the gap between publishing a file and
 * committing its checkpoint: a job that opens with the same start state replays those rows, so the files the
 * journal names must go first, or their rows would be there twice.
 *
 * <p>When the server starts, {@link LakeRecovery} settles every journal a crash left, with the stream's committed state
 * ({@code connection}, {@code stream}; absent in journals written before they were recorded, which the stream's next
 * job settles).
 *
 * @param start the start state as canonical JSON (keys sorted), so that states from the state store and from a
 *              source's batch compare equal whatever number classes they use
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record PublishJournal(String connection, String stream, long job, int attempt, String start, List<String> files) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    PublishJournal {
        files = List.copyOf(files);
    }

    static PublishJournal of(WriteRequest request, Map<String, Object> start, List<String> files) {
        return new PublishJournal(request.connection(), request.stream(), request.jobId(), request.attempt(), canonical(start), files);
    }

    /** Whether a job starting from {@code startState} reads again the rows of the journal's files. */
    boolean replayedBy(Map<String, Object> startState) {
        return start.equals(canonical(startState));
    }

    static Optional<PublishJournal> read(LakeStorage storage, String key) throws IOException {
        if (!storage.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(storage.read(key), PublishJournal.class));
    }

    byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the publish journal", e);
        }
    }

    private static String canonical(Map<String, Object> state) {
        try {
            return JSON.writeValueAsString(JSON.readTree(JSON.writeValueAsString(state == null ? Map.of() : state)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a checkpoint is not plain JSON data: " + e.getOriginalMessage(), e);
        }
    }
}
