package dev.caravan.jobs;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How many jobs may run at once on this server: in all ({@code maxJobs}) and per destination ({@code maxPerDestination});
 * 0 means no limit. A job that would pass a limit waits, in the order the jobs came, until a running one ends.
 * {@code destinationOf} names a connection's destination.
 */
public record WorkerLimits(int maxJobs, int maxPerDestination, Function<String, String> destinationOf) {
    public static final WorkerLimits NONE = new WorkerLimits(0, 0, connection -> "");

    public WorkerLimits {
        Objects.requireNonNull(destinationOf, "destinationOf");
        if (maxJobs < 0 || maxPerDestination < 0) {
            throw new IllegalArgumentException("limits are 0 (none) or positive");
        }
    }

    /** Why a job of {@code connection} cannot start while the jobs of {@code runningConnections} run; empty when it can. */
    Optional<String> blocked(String connection, Collection<String> runningConnections) {
        if (maxJobs > 0 && runningConnections.size() >= maxJobs) {
            return Optional.of("waiting for a free worker: " + runningConnections.size() + " of " + maxJobs + " jobs running (caravan.sync.max-concurrent-jobs)");
        }
        if (maxPerDestination > 0) {
            String destination = destinationOf.apply(connection);
            long same = runningConnections.stream().filter(other -> destination.equals(destinationOf.apply(other))).count();
            if (same >= maxPerDestination) {
                return Optional.of("waiting for destination " + destination + ": " + same + " of " + maxPerDestination
                        + " jobs writing to it running (caravan.sync.max-jobs-per-destination)");
            }
        }
        return Optional.empty();
    }
}
