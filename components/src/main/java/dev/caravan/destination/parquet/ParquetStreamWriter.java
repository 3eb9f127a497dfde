package dev.caravan.destination.parquet;

import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteRequest;
import dev.caravan.spi.WriteSummary;
import dev.caravan.spi.FullRefreshState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one stream of one job as rolling Parquet files into a {@link LakeStorage} (layout: {@link LakeLayout}).
 * A file is rolled at a batch boundary once its data has reached {@link ParquetFormat#fileSizeBytes()} or it has
 * been open for {@link ParquetFormat#maxFileAge()} (checked when the file gets its next batch, so a file may hold one
 * batch more).
 *
 * <p>Parallel encoding: once a stream has written {@link #PARALLEL_AFTER_ROWS} rows, the writer opens up to
 * {@link ParquetFormat#encodingThreads()} files at once ({@link FileLane}s) and hands each batch to the next one, encoded
 * on a shared encoder thread while the caller goes on with the next batch (the caller still waits for a lane's previous
 * batch before giving it another: at most one batch per lane in flight). A batch's rows must therefore not change after
 * {@link #write}. Deduplicated streams keep one lane: their snapshot takes the later of two rows in publication order.
 *
 * <ul>
 * <li>Incremental modes, and full refresh modes with keyset checkpoints ({@link FullRefreshState}), publish a rolled
 *     file at once; {@link #write} then returns true (all rows so far are durable), so the caller may commit the
 *     batch's checkpoint.</li>
 * <li>Other full refreshes keep every file staged until {@link #commit}; {@link #write} returns false.</li>
 * <li>full_refresh_overwrite writes into the directory of its generation ({@link OverwriteGenerations}); the commit
 *     names it in {@code current.json} and retires the earlier ones, deleted after the grace period (a job with no rows
 *     leaves the stream empty). A run resuming a generation keeps the files its checkpoint covers; a run starting one
 *     empties its directory first.</li>
 * <li>incremental_append_deduped also maintains the stream's snapshot ({@link DedupSnapshot}) on commit.</li>
 * </ul>
 * {@link #commit} publishes the last file, updates the snapshot or the generation pointer, writes the job manifest, and
 * only then deletes expired generations. Each file appears atomically, but a job's files appear one after another: a
 * reader that must see whole jobs follows the manifests (overwrite: the pointer). {@link #abort} (and {@link #close} without commit) discards every
 * staged file, leaving what was published before untouched.
 *
 * <p>Exactly once: before files are published their keys and the start state are recorded in a
 * {@link PublishJournal}; a later writer opened with the same start state (the checkpoint was never committed)
 * deletes them first, since it writes their rows again. Any failure leaves the writer failed: only abort or close
 * are then accepted. Not thread-safe; one writer per stream at a time. Closing the writer closes the storage.
 */
public final class ParquetStreamWriter implements StreamWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetStreamWriter.class);

    /** Rows a stream writes on one lane before it encodes in parallel: small syncs make one file, on the caller's thread. */
    static final long PARALLEL_AFTER_ROWS = 100_000;

    /** Threads of every stream writer of the JVM for encoding on lanes and for publishing several files at once. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "caravan-parquet-worker");
        thread.setDaemon(true);
        return thread;
    });

    private enum State { OPEN, FAILED, COMMITTED, ABORTED }

    private final LakeStorage storage;
    private final ParquetFormat format;
    private final WriteRequest request;
    private final LakeLayout layout;
    private final MessageType messageType;
    private final DedupKeys dedupKeys;
    private final boolean publishOnRoll;
    /** Whether this writer has written the publish journal (a full refresh deletes it once all its files are visible). */
    private boolean journaled;
    private final int maxLanes;
    private final long startedNanos = System.nanoTime();
    private int nextFileNumber;
    private Map<String, Object> lastCheckpoint;
    private final List<FileLane> lanes = new ArrayList<>();
    /** Columns whose dictionary overflowed in a file of this stream: later files write them plain from the start. */
    private final Set<String> plainColumns = new HashSet<>();
    private int nextLane;
    private final List<FileLane.Finished> unpublished = new ArrayList<>();
    private final List<String> publishedKeys = new ArrayList<>();
    private long publishedBytes;
    private long records;
    private State state = State.OPEN;
    private WriteSummary summary;
    private DedupSnapshot.Result snapshot;

    private ParquetStreamWriter(LakeStorage storage, ParquetFormat format, WriteRequest request, LakeLayout layout,
                                RowEncoder encoder, DedupKeys dedupKeys, int nextFileNumber) {
        this.storage = storage;
        this.format = format;
        this.request = request;
        this.layout = layout;
        this.messageType = encoder.messageType();
        this.lanes.add(newLane(encoder));
        this.dedupKeys = dedupKeys;
        // a full refresh with keyset checkpoints (see FullRefreshState) resumes like an incremental sync
        this.publishOnRoll = request.syncMode().incremental()
                || FullRefreshState.isFullRefresh(request.startState()) && !request.replayOfCommittedRows();
        this.maxLanes = dedupKeys != null ? 1 : format.encodingThreads();
        this.nextFileNumber = nextFileNumber;
        this.lastCheckpoint = request.startState();
    }

    /**
     * Opens the writer of {@code request}: removes what an earlier job of the same stream left (staged files, files it
     * published whose rows this job writes again, snapshot parts of a failed update) and finds the next free file
     * number of the day. The writer owns {@code storage} from here on.
     */
    public static ParquetStreamWriter open(LakeStorage storage, ParquetFormat format, WriteRequest request) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(format, "format");
        try {
            LakeLayout layout = LakeLayout.of(request);
            RowEncoder encoder = newEncoder(request);
            DedupKeys keys = request.syncMode() == SyncMode.INCREMENTAL_APPEND_DEDUPED
                    ? DedupKeys.of(encoder.messageType(), request.primaryKey(), request.stream()) : null;
            int highest = 0;
            try {
                storage.discardStaged(layout.stagingScope());
                // numbered before taking back replayed files: a number once published is never reused, which keeps
                // the snapshot's merged-through mark meaningful
                for (String key : storage.list(layout.dayPrefix())) {
                    highest = Math.max(highest, layout.fileNumberInDay(key));
                }
                if (!request.replayOfCommittedRows()) {
                    takeBackReplayedFiles(storage, layout, request);
                }
                if (layout.generation() != LakeLayout.NO_GENERATION && FullRefreshState.resumeAfter(request.startState()).isEmpty()) {
                    int cleared = new OverwriteGenerations(storage, layout).clearUncommitted(layout.generation());
                    if (cleared > 0) {
                        LOG.info("Stream {} of connection {}: removed {} file(s) an incomplete run left in generation {}; this run starts it anew",
                                request.stream(), request.connection(), cleared, layout.generation());
                    }
                }
                if (keys != null) {
                    new DedupSnapshot(storage, layout, encoder.messageType(), keys, format, request.stream()).deleteUnreferencedParts();
                }
            } catch (IOException e) {
                throw LakeErrors.of("prepare to write stream " + request.stream() + " in", storage.describe(layout.streamPrefix()), e);
            }
            if (highest == Integer.MAX_VALUE) {
                throw new IllegalStateException("no file number left in " + storage.describe(layout.dayPrefix()));
            }
            LOG.info("Writing stream {} of connection {} (job {}, attempt {}, {}) to {}", request.stream(), request.connection(),
                    request.jobId(), request.attempt(), request.syncMode(), storage.describe(layout.dayPrefix()));
            return new ParquetStreamWriter(storage, format, request, layout, encoder, keys, highest + 1);
        } catch (RuntimeException | Error e) {
            storage.close();
            throw e;
        }
    }

    private static void takeBackReplayedFiles(LakeStorage storage, LakeLayout layout, WriteRequest request) throws IOException {
        Optional<PublishJournal> journal = PublishJournal.read(storage, layout.journalKey());
        if (journal.isEmpty()) {
            return;
        }
        if (journal.get().replayedBy(request.startState())) {
            for (String key : journal.get().files()) {
                storage.delete(key);
            }
            LOG.warn("Stream {} of connection {}: removed {} file(s) that job {} published without committing their checkpoint;"
                    + " job {} writes their rows again: {}", request.stream(), request.connection(), journal.get().files().size(),
                    journal.get().job(), request.jobId(), journal.get().files());
        }
        storage.delete(layout.journalKey());
    }

    @Override
    public boolean write(RecordBatch batch) {
        requireState(State.OPEN, "write");
        if (batch.schema() != request.schema() && !batch.schema().equals(request.schema())) {
            state = State.FAILED;
            throw new IllegalArgumentException("a batch of stream " + request.stream() + " has schema " + batch.schema()
                    + " but the writer was opened for " + request.schema());
        }
        if (batch.rows().isEmpty()) {
            lastCheckpoint = batch.checkpoint();
            return publishOnRoll && openFiles() == 0 && unpublished.isEmpty();
        }
        try {
            FileLane lane = nextLane();
            // sizes are known for the batches encoded so far: a due file takes this batch too (an incremental roll then
            // publishes every lane, this batch included, so its checkpoint is durable), or is set aside before it
            boolean rollAll = false;
            if (lane.due(format, System.nanoTime())) {
                if (publishOnRoll) {
                    rollAll = true;
                } else {
                    unpublished.add(lane.finish());
                }
            }
            if (!lane.hasOpenFile()) {
                lane.open(storage.stage(layout.stagingScope(), layout.dataFileKey(nextFileNumber++)), lastCheckpoint, format);
            }
            if (lanes.size() == 1) {
                lane.encode(batch);
            } else {
                lane.encodeLater(batch, WORKERS);
            }
            records += batch.size();
            lastCheckpoint = batch.checkpoint();
            if (rollAll) {
                finishAllFiles();
                publishFinishedFiles();
                return true;
            }
        } catch (IOException e) {
            state = State.FAILED;
            throw LakeErrors.of("write stream " + request.stream() + " to", storage.describe(layout.dayPrefix()), e);
        } catch (RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
        return false;
    }

    /** A lane for {@code encoder}'s rows, with page buffers for what one row group holds at once plus the pages being encoded. */
    private FileLane newLane(RowEncoder encoder) {
        return new FileLane(encoder, plainColumns, new PageBufferPool(format.rowGroupBytes() + 8 * ParquetFormat.MB, false));
    }

    /** The lane for the next batch, done with its previous one; opens another lane once the stream is large enough. */
    private FileLane nextLane() throws IOException {
        if (lanes.size() < maxLanes && records >= PARALLEL_AFTER_ROWS) {
            lanes.add(newLane(newEncoder(request)));
        }
        FileLane lane = lanes.get(nextLane);
        nextLane = (nextLane + 1) % lanes.size();
        lane.awaitEncoded();
        return lane;
    }

    private int openFiles() {
        return (int) lanes.stream().filter(FileLane::hasOpenFile).count();
    }

    /** Waits for every lane, then closes their files into {@link #unpublished}. */
    private void finishAllFiles() throws IOException {
        for (FileLane lane : lanes) {
            lane.awaitEncoded();
        }
        for (FileLane lane : lanes) {
            if (lane.hasOpenFile()) {
                unpublished.add(lane.finish());
            }
        }
    }

    @Override
    public WriteSummary commit() {
        if (state == State.COMMITTED) {
            return summary;
        }
        requireState(State.OPEN, "commit");
        try {
            finishAllFiles();
            publishFinishedFiles();
            if (!publishOnRoll && journaled) {
                // every file of a full refresh is visible: the job can no longer be taken back
                storage.delete(layout.journalKey());
                journaled = false;
            }
            if (dedupKeys != null) {
                snapshot = new DedupSnapshot(storage, layout, messageType, dedupKeys, format, request.stream()).update().orElse(null);
            }
            GenerationPointer pointer = null;
            OverwriteGenerations generations = new OverwriteGenerations(storage, layout);
            Instant now = Instant.now();
            if (layout.generation() != LakeLayout.NO_GENERATION) {
                pointer = generations.commit(layout.generation(), request.jobId(), now);
            }
            WriteSummary result = new WriteSummary(records, publishedBytes, publishedKeys, rowsWithChanges());
            storage.writeAtomically(layout.manifestKey(), manifest(result, pointer).toJson());
            pruneJobManifests();
            int replaced = pointer == null ? 0 : generations.deleteExpired(pointer, format.overwriteGracePeriod(), now);
            state = State.COMMITTED;
            summary = result;
            logCommit(replaced);
            return result;
        } catch (IOException e) {
            state = State.FAILED;
            throw LakeErrors.of("commit stream " + request.stream() + " in", storage.describe(layout.streamPrefix()), e);
        } catch (RuntimeException | Error e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * The stream's state now covers every published file, so none of them is taken back by a later job: the publish
     * journal goes (it exists only while a publish is not yet covered by a committed checkpoint).
     */
    @Override
    public void checkpointCommitted() {
        if (!journaled || !unpublished.isEmpty() || state != State.OPEN && state != State.COMMITTED) {
            return;
        }
        try {
            storage.delete(layout.journalKey());
            journaled = false;
        } catch (IOException e) {
            // harmless: the next writer of the stream finds the journal does not match its start state and deletes it
            LOG.warn("Stream {} of connection {}: could not delete the publish journal {}: {}", request.stream(), request.connection(),
                    layout.journalKey(), e.getMessage());
        }
    }

    @Override
    public WriteSummary published() {
        return new WriteSummary(0, publishedBytes, publishedKeys);
    }

    @Override
    public void abort() {
        if (state == State.COMMITTED || state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        int discarded = unpublished.size();
        for (FileLane lane : lanes) {
            if (lane.discard(request.stream())) {
                discarded++;
            }
        }
        unpublished.forEach(f -> f.file().discard());
        unpublished.clear();
        LOG.warn("Aborted stream {} of connection {} (job {}, attempt {}): discarded {} staged file(s); {} file(s) published before stay",
                request.stream(), request.connection(), request.jobId(), request.attempt(), discarded, publishedKeys.size());
    }

    /** Aborts unless committed, then closes the storage; safe to call more than once. */
    @Override
    public void close() {
        try {
            abort();
        } finally {
            storage.close();
        }
    }

    /** Journals, then publishes the finished files: from here a replay from their start state removes them first. */
    private void publishFinishedFiles() throws IOException {
        if (unpublished.isEmpty()) {
            return;
        }
        // lanes finish files out of order; the journal names where the earliest of them starts (a replay from there
        // writes all of them again), and files are published in number order
        unpublished.sort(Comparator.comparingInt(f -> layout.fileNumberInDay(f.file().finalKey())));
        List<String> keys = unpublished.stream().map(f -> f.file().finalKey()).toList();
        // A full refresh's files are taken back only while some of them are published and others not yet: its one
        // file needs no journal where a failed publish certainly left it unpublished (a local rename).
        boolean journalNeeded = publishOnRoll || unpublished.size() > 1 || !storage.publishOutcomeCertain();
        if (journalNeeded && !request.replayOfCommittedRows()) {
            storage.writeAtomically(layout.journalKey(),
                    PublishJournal.of(request, unpublished.get(0).start(), keys).toJson());
            journaled = true;
        }
        if (unpublished.size() == 1) {
            StagedFile only = unpublished.get(0).file();
            long bytes = only.publish();
            unpublished.clear();
            published(only, bytes);
            return;
        }
        // several files (a full refresh's commit, a roll of several lanes): publish them at once, since completing an
        // upload can take the store a while (it assembles the parts); a failure is reported after the others are through
        List<CompletableFuture<Long>> publishing = new ArrayList<>();
        for (FileLane.Finished finished : unpublished) {
            publishing.add(AsyncIo.start(finished.file()::publish, WORKERS));
        }
        Exception failure = null;
        List<FileLane.Finished> failed = new ArrayList<>();
        for (int i = 0; i < publishing.size(); i++) {
            try {
                published(unpublished.get(i).file(), AsyncIo.await(publishing.get(i)));
            } catch (IOException | RuntimeException e) {
                failed.add(unpublished.get(i));
                failure = failure == null ? e : failure;
            }
        }
        unpublished.clear();
        unpublished.addAll(failed);
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }

    private void published(StagedFile file, long bytes) {
        publishedBytes += bytes;
        publishedKeys.add(file.finalKey());
        LOG.debug("Published {}", storage.describe(file.finalKey()));
    }

    /** Keeps the newest {@code keep_job_manifests} job manifests of the stream (by job id); deletes the older ones. */
    private void pruneJobManifests() throws IOException {
        List<String> manifests = storage.list(layout.manifestsPrefix()).stream().filter(k -> LakeLayout.manifestJobId(k) >= 0)
                .sorted(java.util.Comparator.comparingLong(LakeLayout::manifestJobId).reversed()).toList();
        for (String old : manifests.subList(Math.min(format.keepJobManifests(), manifests.size()), manifests.size())) {
            storage.delete(old);
        }
    }

    private JobManifest manifest(WriteSummary result, GenerationPointer pointer) {
        return new JobManifest(request.connection(), request.namespace(), request.stream(), request.prefix(),
                request.syncMode().configName(), request.jobId(), request.attempt(), request.generationId(),
                request.extractedAt().toString(), result.records(), result.bytes(), result.files(),
                snapshot == null ? null : snapshot.files(), snapshot == null ? null : snapshot.rows(),
                pointer == null ? null : pointer.files());
    }

    /** Columns written without trying a dictionary from the next file on. */
    Set<String> plainColumns() {
        return Set.copyOf(plainColumns);
    }

    private long rowsWithChanges() {
        return lanes.stream().mapToLong(FileLane::rowsWithChanges).sum();
    }

    private long nulledValues() {
        return lanes.stream().mapToLong(FileLane::nulledValues).sum();
    }

    private static RowEncoder newEncoder(WriteRequest request) {
        return new RowEncoder(request.stream(), request.schema(), request.jobId(), request.generationId(), request.extractedAt());
    }

    private void requireState(State expected, String operation) {
        if (state != expected) {
            throw new IllegalStateException("cannot " + operation + " stream " + request.stream() + ": its writer is "
                    + state.name().toLowerCase() + (state == State.FAILED ? " after an earlier error; abort it" : ""));
        }
    }

    private void logCommit(int replaced) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        LOG.info("Committed stream {} of connection {} (job {}, attempt {}, {}): {} rows, {} bytes, {} file(s) in {} s ({} rows/s){}{}{}",
                request.stream(), request.connection(), request.jobId(), request.attempt(), request.syncMode(), records, publishedBytes,
                publishedKeys.size(), Math.round(seconds * 10) / 10.0, Math.round(records / seconds),
                replaced > 0 ? "; removed " + replaced + " file(s) of generations replaced more than " + format.overwriteGracePeriod().toMinutes()
                        + " minute(s) ago" : "",
                snapshot != null ? "; snapshot: " + snapshot.rows() + " row(s) in " + snapshot.files().size() + " part(s)" : "",
                rowsWithChanges() > 0 ? "; " + rowsWithChanges() + " row(s) with changes, " + nulledValues() + " value(s) nulled" : "");
    }
}
