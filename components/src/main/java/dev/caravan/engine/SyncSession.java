package dev.caravan.engine;

import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteSummary;
import dev.caravan.sync.SyncJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync of one stream within one job: the writers its destination steps opened and what they made durable. The Camel
 * adapter carries it on every batch exchange as {@link #EXCHANGE_PROPERTY}.
 * The source consumer owns it; producers attach their writers to it, so the consumer decides when the
 * written data is committed (after the last batch) or aborted (on any failure).
 */
public final class SyncSession {
    public static final String EXCHANGE_PROPERTY = "CaravanSyncSession";
    private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);

    private final SyncJob job;
    private final String stream;
    private final SyncMode syncMode;
    private final List<String> primaryKey;
    private final long generationId;
    private final Map<String, Object> startState;
    private final Map<String, StreamWriter> writers = new LinkedHashMap<>();
    /** What each writer said after the last batch it wrote: is everything it received so far durable? */
    private final Map<String, Boolean> durable = new LinkedHashMap<>();
    /** The destination connectors (name and version) this stream's writers were opened with. */
    private final java.util.Set<String> destinationConnectors = new java.util.LinkedHashSet<>();

    SyncSession(SyncJob job, String stream, SyncMode syncMode, List<String> primaryKey, long generationId, Map<String, Object> startState) {
        this.job = job;
        this.startState = Map.copyOf(startState);
        this.stream = stream;
        this.syncMode = syncMode;
        this.primaryKey = List.copyOf(primaryKey);
        this.generationId = generationId;
    }

    public SyncJob job() {
        return job;
    }

    public String stream() {
        return stream;
    }

    public SyncMode syncMode() {
        return syncMode;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    public long generationId() {
        return generationId;
    }

    /** The committed state the read resumes from (empty for full refresh). */
    public Map<String, Object> startState() {
        return startState;
    }

    /** The writer a producer registered under {@code key}, opened on first use. */
    public synchronized StreamWriter writer(String key, Supplier<StreamWriter> opener) {
        return writers.computeIfAbsent(key, k -> opener.get());
    }

    /** Records a destination connector a writer of this stream uses, e.g. {@code local 0.1.0}, for the job history. */
    public synchronized void destinationConnector(String label) {
        destinationConnectors.add(label);
    }

    public synchronized List<String> destinationConnectors() {
        return List.copyOf(destinationConnectors);
    }

    /** Called by the producer registered under {@code key} after writing a batch: is all it received so far durable? */
    public synchronized void batchWritten(String key, boolean everythingDurable) {
        durable.put(key, everythingDurable);
    }

    /**
     * Whether every writer has made everything it received durable, so the checkpoint of the last batch may be
     * committed. A batch that a route step dropped before any writer does not change the answer: rows a writer holds
     * in an open file keep it false until that writer publishes them.
     */
    synchronized boolean lastBatchDurable() {
        return !writers.isEmpty() && durable.size() == writers.size() && !durable.containsValue(Boolean.FALSE);
    }

    /** The bytes and files the writers have published so far (see {@link StreamWriter#published}). */
    synchronized WriteSummary published() {
        long bytes = 0;
        List<String> files = new ArrayList<>();
        for (StreamWriter writer : writers.values()) {
            WriteSummary summary = writer.published();
            bytes += summary.bytes();
            files.addAll(summary.files());
        }
        return new WriteSummary(0, bytes, files);
    }

    /** The checkpoint of the last batch is committed: writers may drop what they kept to take back unconfirmed publishes. */
    synchronized void checkpointCommitted() {
        writers.values().forEach(SyncSession::checkpointCommitted);
    }

    private static void checkpointCommitted(StreamWriter writer) {
        try {
            writer.checkpointCommitted();
        } catch (RuntimeException e) {
            LOG.warn("A writer failed to clean up after a committed checkpoint: {}", e.getMessage());
        }
    }

    /**
     * Commits every writer, then the stream's state with {@code commitState} (given what was written), then lets the
     * writers clean up what a crash between the two would have needed.
     */
    synchronized WriteSummary commit(java.util.function.Consumer<WriteSummary> commitState) {
        long records = 0;
        long bytes = 0;
        long rowsWithChanges = 0;
        List<String> files = new ArrayList<>();
        for (StreamWriter writer : writers.values()) {
            WriteSummary summary = writer.commit();
            records = Math.max(records, summary.records());
            rowsWithChanges = Math.max(rowsWithChanges, summary.rowsWithChanges());
            bytes += summary.bytes();
            files.addAll(summary.files());
        }
        WriteSummary written = new WriteSummary(records, bytes, files, rowsWithChanges);
        try {
            commitState.accept(written);
            writers.values().forEach(SyncSession::checkpointCommitted);
        } finally {
            closeAll();
        }
        return written;
    }

    synchronized void abort() {
        for (StreamWriter writer : writers.values()) {
            try {
                writer.abort();
            } catch (RuntimeException e) {
                LOG.warn("Aborting a writer of {}/{} failed: {}", job.connection(), stream, e.getMessage());
            }
        }
        closeAll();
    }

    private void closeAll() {
        for (StreamWriter writer : writers.values()) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing a writer of {}/{} failed: {}", job.connection(), stream, e.getMessage());
            }
        }
        writers.clear();
        durable.clear();
    }
}
