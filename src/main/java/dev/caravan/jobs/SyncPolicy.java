package dev.caravan.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * How jobs run: at most {@code maxAttempts} attempts per job, waiting {@code retryBackoff} before the second and twice as
 * long before each next one (at most {@link #MAX_BACKOFF}); what a trigger does while the connection runs; and how many
 * jobs run at once, in all and per destination (0: no limit; see {@link WorkerLimits}).
 */
public record SyncPolicy(int maxAttempts, Duration retryBackoff, OnOverlap onOverlap, int maxConcurrentJobs, int maxJobsPerDestination) {
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /** What a trigger does while a job of the same connection runs; either way the choice is recorded in the history. */
    public enum OnOverlap {
        /** Record a SKIPPED job and do nothing. */
        SKIP,
        /** Record a QUEUED job that starts when the running one ends (at most one waits; further triggers are skipped). */
        QUEUE
    }

    /** No limit on jobs running at once. */
    public SyncPolicy(int maxAttempts, Duration retryBackoff, OnOverlap onOverlap) {
        this(maxAttempts, retryBackoff, onOverlap, 0, 0);
    }

    public SyncPolicy {
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(onOverlap, "onOverlap");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before attempt {@code next} (2, 3, ...). */
    public Duration backoffBefore(int next) {
        long factor = 1L << Math.min(20, next - 2);
        Duration wait = retryBackoff.multipliedBy(factor);
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }
}
