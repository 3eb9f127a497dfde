package dev.caravan.jobs;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How many jobs may run at once: in all ({@code maxJobs}) and per destination ({@code maxPerDestination}); 0 means no
 * limit. On a single node the jobs of this server count; in cluster mode those of every live node ({@link ClusterQueue}).
 * A job that would pass a limit waits, in the order the jobs came, until a running one ends. {@code destinationOf} names
 * a connection's destination.
 */
public record WorkerLimits(int maxJobs, int maxPerDestination, Function<String, String> destinationOf) {
    public static final WorkerLimits NONE = new WorkerLimits(0, 0, connection -> "");

    public WorkerLimits {
        Objects.requireNonNull(destinationOf, "destinationOf");
        if (maxJobs < 0 || maxPerDestination < 0) {
            throw new IllegalArgumentException("limits are 0 (none) or positive");
        }
    }

    /** Whether any limit is set. */
    public boolean limited() {
        return maxJobs > 0 || maxPerDestination > 0;
    }

    /** Why a job of {@code connection} cannot start while the jobs of {@code runningConnections} run; empty when it can. */
    Optional<String> blocked(String connection, Collection<String> runningConnections) {
        return blocked(connection, runningConnections, "running");
    }

    /** {@link #blocked(String, Collection)}, the reason saying which jobs {@code runningConnections} are ("running or next in the cluster"). */
    Optional<String> blocked(String connection, Collection<String> runningConnections, String which) {
        if (maxJobs > 0 && runningConnections.size() >= maxJobs) {
            return Optional.of("waiting for a free worker: " + runningConnections.size() + " of " + maxJobs + " jobs " + which
                    + " (caravan.sync.max-concurrent-jobs)");
        }
        if (maxPerDestination > 0) {
            String destination = destinationOf.apply(connection);
            long same = runningConnections.stream().filter(other -> destination.equals(destinationOf.apply(other))).count();
            if (same >= maxPerDestination) {
                return Optional.of("waiting for destination " + destination + ": " + same + " of " + maxPerDestination
                        + " jobs writing to it " + which + " (caravan.sync.max-jobs-per-destination)");
            }
        }
        return Optional.empty();
    }
}
