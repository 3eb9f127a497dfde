package dev.caravan.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's JDBC job store of a cluster node, storing the schedule triggers of many routes together. Each schedule route
 * that starts stores its job and trigger (camel-quartz), and Quartz's JDBC store writes each in a transaction of its own
 * under the store's trigger lock — the lock every node's firing takes too: a document of thousands of connections
 * applied to a busy cluster waited for that lock once per connection. Inside {@link #batched} the route starts of the
 * calling thread have their jobs and triggers collected and written {@value #CHUNK} per transaction (one wait for the
 * lock each); the triggers are exactly those camel-quartz built, with their first fire computed as the route started.
 * Elsewhere it is Quartz's {@link JobStoreTX}. Named by {@code org.quartz.jobStore.class} ({@link Schedules}).
 */
public final class BatchingJobStore extends JobStoreTX {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingJobStore.class);
    /** Jobs and triggers per transaction: between two, the nodes' firing gets the lock. */
    static final int CHUNK = 200;
    private static final ThreadLocal<Batch> BATCH = new ThreadLocal<>();

    /** What one thread's route starts stored and this store has not written yet. */
    private static final class Batch {
        private BatchingJobStore store;
        private final Map<JobDetail, Set<? extends Trigger>> pending = new LinkedHashMap<>();
        private final Map<TriggerKey, OperableTrigger> triggers = new HashMap<>();
        private int written;
        private long nanos;
    }

    /**
     * Runs {@code action} (loading routes) with the triggers its schedule routes store written together, the last of them
     * before this returns. A failure to write them fails the call: routes without their triggers would never fire.
     */
    public static void batched(Runnable action) {
        if (BATCH.get() != null) {
            action.run();
            return;
        }
        Batch batch = new Batch();
        BATCH.set(batch);
        RuntimeException failure = null;
        try {
            action.run();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            BATCH.remove();
        }
        try {
            if (batch.store != null) {
                batch.store.write(batch);
                if (batch.written > 1) {
                    LOG.info("Stored the schedule triggers of {} routes together in {} ms", batch.written, batch.nanos / 1_000_000);
                }
            }
        } catch (JobPersistenceException e) {
            IllegalStateException unstored = new IllegalStateException("Could not store the schedule triggers of the routes just loaded: "
                    + e.getMessage() + "; apply again once the metadata store answers", e);
            if (failure == null) {
                throw unstored;
            }
            failure.addSuppressed(unstored);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void storeJobAndTrigger(JobDetail job, OperableTrigger trigger) throws JobPersistenceException {
        Batch batch = BATCH.get();
        if (batch == null || batch.store != null && batch.store != this) {
            super.storeJobAndTrigger(job, trigger);
            return;
        }
        batch.store = this;
        if (batch.triggers.containsKey(trigger.getKey())) {
            throw new ObjectAlreadyExistsException(trigger);
        }
        batch.pending.put(job, Set.of(trigger));
        batch.triggers.put(trigger.getKey(), trigger);
        if (batch.pending.size() >= CHUNK) {
            write(batch);
        }
    }

    /** A trigger collected but not written yet is found too (camel-quartz looks its trigger up before storing it). */
    @Override
    public OperableTrigger retrieveTrigger(TriggerKey key) throws JobPersistenceException {
        Batch batch = BATCH.get();
        OperableTrigger pending = batch == null || batch.store != this ? null : batch.triggers.get(key);
        return pending != null ? (OperableTrigger) pending.clone() : super.retrieveTrigger(key);
    }

    private void write(Batch batch) throws JobPersistenceException {
        if (batch.pending.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        Map<JobDetail, Set<? extends Trigger>> chunk = new LinkedHashMap<>(batch.pending);
        long firstFire = batch.triggers.values().stream().map(Trigger::getNextFireTime).filter(java.util.Objects::nonNull)
                .mapToLong(java.util.Date::getTime).min().orElse(0);
        batch.pending.clear();
        batch.triggers.clear();
        int written = chunk.size();
        try {
            storeJobsAndTriggers(chunk, false);
        } catch (ObjectAlreadyExistsException e) {
            // another node regenerating the same routes stored one of them first: keep its, store the others
            for (Map.Entry<JobDetail, Set<? extends Trigger>> entry : chunk.entrySet()) {
                try {
                    super.storeJobAndTrigger(entry.getKey(), (OperableTrigger) entry.getValue().iterator().next());
                } catch (ObjectAlreadyExistsException stored) {
                    written--;
                    LOG.debug("Schedule trigger {} was stored by another node", entry.getKey().getKey());
                }
            }
        }
        batch.written += written;
        batch.nanos += System.nanoTime() - started;
        // Quartz told its scheduler thread of each trigger as it was "stored": tell it again now that they are
        signalSchedulingChangeImmediately(firstFire);
    }
}
