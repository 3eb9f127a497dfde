package dev.caravan.destination.parquet;

import dev.caravan.spi.CommittedStates;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server does for a lake when it starts, before any sync: every publish a crash interrupted is settled and every
 * overwrite generation past its grace period is deleted, so that readers do not wait for each stream's next sync.
 * <ul>
 * <li>A {@link PublishJournal} whose start equals the stream's committed state names files whose rows were never
 *     committed (the next job reads them again): they are deleted, i.e. the publish is rolled back. Otherwise the
 *     checkpoint covering them was committed and only the journal goes. For overwrite streams neither changes what a
 *     reader of {@code current.json} sees: the files are in a generation it does not name.</li>
 * <li>The retired generations of every {@link GenerationPointer} whose grace period is over are deleted.</li>
 * </ul>
 * Staged files (local tmp files, S3 multipart uploads) are invisible to readers and left to the stream's next job.
 */
public final class LakeRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LakeRecovery.class);
    private static final String STATE_ROOT = "_airbyte_internal/state/";
    private static final String JOURNAL = "publishing.json";
    private static final String POINTER = "current.json";

    private final LakeStorage storage;
    private final Duration grace;

    LakeRecovery(LakeStorage storage, Duration grace) {
        this.storage = storage;
        this.grace = grace;
    }

    /**
     * Settles every stream of the lake in {@code storage} (closed afterwards) for a destination's
     * {@link dev.caravan.spi.DestinationConnector#recover}: what was done, one item per line.
     */
    public static String recover(LakeStorage storage, ParquetFormat format, CommittedStates states) {
        try (storage) {
            return String.join("\n", new LakeRecovery(storage, format.overwriteGracePeriod()).run(states, Instant.now()));
        } catch (IOException e) {
            throw LakeErrors.of("recover the lake at", storage.describe(STATE_ROOT), e);
        }
    }

    /** Settles every stream of the lake; returns one line per thing done. */
    List<String> run(CommittedStates states, Instant now) throws IOException {
        List<String> done = new ArrayList<>();
        for (String key : storage.list(STATE_ROOT)) {
            if (key.endsWith("/" + JOURNAL)) {
                settleJournal(key, states).ifPresent(done::add);
            } else if (key.endsWith("/" + POINTER)) {
                deleteExpired(key, now).ifPresent(done::add);
            }
        }
        return done;
    }

    private Optional<String> settleJournal(String key, CommittedStates states) throws IOException {
        Optional<PublishJournal> read = PublishJournal.read(storage, key);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        PublishJournal journal = read.get();
        if (journal.connection() == null || journal.stream() == null) {
            LOG.info("{} does not name its connection and stream (written by an older version): the stream's next job settles it",
                    storage.describe(key));
            return Optional.empty();
        }
        String what;
        if (journal.replayedBy(states.of(journal.connection(), journal.stream()))) {
            for (String file : journal.files()) {
                storage.delete(file);
            }
            what = "rolled back the interrupted publish of job " + journal.job() + " of " + journal.connection() + "/" + journal.stream()
                    + " (" + journal.files().size() + " file(s) whose rows were not committed)";
        } else {
            what = "kept the files job " + journal.job() + " of " + journal.connection() + "/" + journal.stream()
                    + " published: their checkpoint was committed";
        }
        storage.delete(key);
        return Optional.of(what);
    }

    private Optional<String> deleteExpired(String key, Instant now) throws IOException {
        Optional<GenerationPointer> pointer = GenerationPointer.read(storage, key);
        if (pointer.isEmpty() || pointer.get().retired().isEmpty()) {
            return Optional.empty();
        }
        String stateDirectory = key.substring(0, key.length() - POINTER.length());
        LakeLayout layout = LakeLayout.ofStream(pointer.get().streamPrefix(), stateDirectory);
        int deleted = new OverwriteGenerations(storage, layout).deleteExpired(pointer.get(), grace, now);
        return deleted == 0 ? Optional.empty()
                : Optional.of("deleted " + deleted + " file(s) of generations of " + layout.streamPrefix() + " replaced more than "
                        + grace.toMinutes() + " minute(s) ago");
    }
}
