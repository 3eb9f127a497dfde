package dev.caravan.jobs;

import dev.caravan.state.ClusterRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
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

    /**
     * These limits made as strict as those of the live {@code nodes}: per limit the smallest value set (0, none, only when
     * neither these nor any live node set one).
     */
    public WorkerLimits strictest(List<ClusterRepository.Node> nodes) {
        int jobs = maxJobs;
        int perDestination = maxPerDestination;
        for (ClusterRepository.Node node : nodes) {
            if (node.alive()) {
                jobs = stricter(jobs, node.maxConcurrentJobs());
                perDestination = stricter(perDestination, node.maxJobsPerDestination());
            }
        }
        return new WorkerLimits(jobs, perDestination, destinationOf);
    }

    private static int stricter(int limit, Integer other) {
        if (other == null || other == 0) {
            return limit;
        }
        return limit == 0 ? other : Math.min(limit, other);
    }

    /**
     * Cluster mode: says which live nodes run with which limit settings when they differ, and the strictest of them, which
     * every node applies ({@link #strictest}); empty when they agree (nodes that do not record their limits are left out).
     */
    public static Optional<String> disagreement(List<ClusterRepository.Node> nodes) {
        Map<String, List<String>> byLimits = new TreeMap<>();
        for (ClusterRepository.Node node : nodes) {
            if (node.alive() && node.maxConcurrentJobs() != null && node.maxJobsPerDestination() != null) {
                byLimits.computeIfAbsent("max-concurrent-jobs=" + node.maxConcurrentJobs() + ", max-jobs-per-destination=" + node.maxJobsPerDestination(),
                        limits -> new ArrayList<>()).add(node.id());
            }
        }
        if (byLimits.size() < 2) {
            return Optional.empty();
        }
        WorkerLimits strictest = NONE.strictest(nodes);
        return Optional.of("live nodes run with different worker limits (" + byLimits.entrySet().stream()
                .map(entry -> "node" + (entry.getValue().size() > 1 ? "s " : " ") + String.join(", ", entry.getValue()) + ": " + entry.getKey())
                .collect(Collectors.joining("; ")) + "); every node applies the strictest of them, "
                + strictest.maxJobs + " and " + strictest.maxPerDestination + " (0: none): set the same caravan.sync.max-concurrent-jobs and "
                + "caravan.sync.max-jobs-per-destination on every node and restart the ones that differ");
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
