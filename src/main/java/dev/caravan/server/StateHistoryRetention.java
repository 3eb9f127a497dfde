package dev.caravan.server;

import dev.caravan.state.JobRecord;
import dev.caravan.state.StreamStateRepository;
import dev.caravan.jobs.JobListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the stream state history for {@code caravan.retention.state-history-days}: older rows are deleted at start and
 * when a job ends, at most once an hour. Zero days keeps everything.
 */
final class StateHistoryRetention implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(StateHistoryRetention.class);
    static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final StreamStateRepository states;
    private final Duration keep;
    private final Clock clock;
    private final AtomicReference<Instant> lastPrune = new AtomicReference<>(Instant.MIN);

    StateHistoryRetention(StreamStateRepository states, int days, Clock clock) {
        this.states = states;
        this.keep = Duration.ofDays(days);
        this.clock = clock;
    }

    @Override
    public void jobEnded(JobRecord job) {
        pruneIfDue();
    }

    /** Deletes the history older than the retention unless that was done within the last hour; returns the rows deleted. */
    int pruneIfDue() {
        if (keep.isZero()) {
            return 0;
        }
        Instant now = clock.instant();
        Instant last = lastPrune.get();
        if (!last.equals(Instant.MIN) && now.isBefore(last.plus(PRUNE_EVERY)) || !lastPrune.compareAndSet(last, now)) {
            return 0;
        }
        int deleted = states.pruneHistory(now.minus(keep));
        if (deleted > 0) {
            LOG.info("Deleted {} stream state history row(s) committed more than {} day(s) ago (caravan.retention.state-history-days)", deleted,
                    keep.toDays());
        }
        return deleted;
    }
}
