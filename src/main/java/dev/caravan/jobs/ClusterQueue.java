package dev.caravan.jobs;

import dev.caravan.state.ClusterRepository.QueuedJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cluster mode's queue: which QUEUED jobs of the whole cluster are next, oldest first, under the worker limits. A job
 * whose connection runs, or whose connection has an older job next, waits for it; a job the limits admit beside the
 * running jobs and the jobs already next is next, and holds its slot for its node: a younger job (a new trigger on any
 * node included) must fit beside it.
 */
final class ClusterQueue {
    /** The jobs next, oldest first, and the connections a younger job must fit beside (running, then next). */
    record Turn(List<QueuedJob> next, List<String> occupied) {
    }

    private ClusterQueue() {
    }

    static Turn of(WorkerLimits limits, List<String> running, List<QueuedJob> queuedOldestFirst) {
        List<String> occupied = new ArrayList<>(running);
        Set<String> taken = new HashSet<>(running);
        List<QueuedJob> next = new ArrayList<>();
        for (QueuedJob job : queuedOldestFirst) {
            if (taken.contains(job.connection())) {
                continue;
            }
            // a job passed over by the limits still keeps younger jobs of its connection behind it
            taken.add(job.connection());
            if (limits.blocked(job.connection(), occupied).isEmpty()) {
                occupied.add(job.connection());
                next.add(job);
            }
        }
        return new Turn(List.copyOf(next), List.copyOf(occupied));
    }
}
