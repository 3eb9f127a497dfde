package dev.caravan.destination.parquet;

import dev.caravan.destination.parquet.GenerationPointer.Retired;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The generations of one full_refresh_overwrite stream: each is written into its own directory
 * ({@code raw/.../generation=G/}), becomes the stream's content when {@link GenerationPointer current.json} names it,
 * and is deleted a grace period after a newer one replaced it. Nothing here is atomic across files, and nothing needs
 * to be: the pointer is one object, written last.
 */
final class OverwriteGenerations {
    private final LakeStorage storage;
    private final LakeLayout layout;

    OverwriteGenerations(LakeStorage storage, LakeLayout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    Optional<GenerationPointer> current() throws IOException {
        return GenerationPointer.read(storage, layout.currentPointerKey());
    }

    /**
     * Empties the directory of {@code generation} before a run starts it from the beginning: whatever is there was written by
     * a run that never completed (no pointer names it). Never the generation the pointer names.
     */
    int clearUncommitted(long generation) throws IOException {
        Optional<GenerationPointer> current = current();
        if (current.isPresent() && current.get().generation() == generation) {
            return 0;
        }
        return deleteDataFiles(layout.generationPrefix(generation));
    }

    /**
     * Makes {@code generation} the stream's content: names it and every file in its directory in the pointer, and
     * retires every other generation found (the one replaced, and any a failed run left) from now, keeping the time of
     * those retired before. Returns the new pointer.
     */
    GenerationPointer commit(long generation, long job, Instant now) throws IOException {
        Optional<GenerationPointer> previous = current();
        Map<Long, Retired> retired = new LinkedHashMap<>();
        previous.ifPresent(p -> p.retired().forEach(r -> retired.put(r.generation(), r)));
        List<String> files = new ArrayList<>();
        TreeSet<Long> others = new TreeSet<>();
        String directory = layout.generationPrefix(generation);
        for (String key : storage.list(layout.streamPrefix())) {
            if (!layout.isDataFile(key)) {
                continue;
            }
            long g = layout.generationOf(key);
            if (g == generation) {
                files.add(key);
            } else {
                others.add(g);
            }
        }
        retired.keySet().retainAll(others);
        for (long g : others) {
            retired.putIfAbsent(g, new Retired(g, now.toString()));
        }
        files.sort(layout.publicationOrder());
        GenerationPointer pointer = new GenerationPointer(generation, job, now.toString(), layout.streamPrefix(), directory, files,
                List.copyOf(retired.values()));
        storage.writeAtomically(layout.currentPointerKey(), pointer.toJson());
        return pointer;
    }

    /** Deletes the retired generations of {@code pointer} whose grace period is over; returns the number of files deleted. */
    int deleteExpired(GenerationPointer pointer, Duration grace, Instant now) throws IOException {
        List<Retired> expired = pointer.retired().stream().filter(r -> r.expired(now, grace)).toList();
        if (expired.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        for (Retired r : expired) {
            deleted += r.generation() == LakeLayout.NO_GENERATION ? deleteFilesOutsideGenerations() : deleteDataFiles(layout.generationPrefix(r.generation()));
        }
        storage.writeAtomically(layout.currentPointerKey(), pointer.without(expired).toJson());
        return deleted;
    }

    private int deleteDataFiles(String prefix) throws IOException {
        int deleted = 0;
        for (String key : storage.list(prefix)) {
            if (layout.isDataFile(key)) {
                storage.delete(key);
                deleted++;
            }
        }
        return deleted;
    }

    private int deleteFilesOutsideGenerations() throws IOException {
        int deleted = 0;
        for (String key : storage.list(layout.streamPrefix())) {
            if (layout.isDataFile(key) && layout.generationOf(key) == LakeLayout.NO_GENERATION) {
                storage.delete(key);
                deleted++;
            }
        }
        return deleted;
    }
}
