package dev.caravan.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.ClusterRepository.QueuedJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queued jobs of a cluster start next: oldest first, each one next holding its slot against younger ones. */
class ClusterQueueTest {
    /** Connections a*, b* write to destinations lake-a, lake-b. */
    private static WorkerLimits limits(int maxJobs, int perDestination) {
        return new WorkerLimits(maxJobs, perDestination, connection -> "lake-" + connection.charAt(0));
    }

    @Test
    void theOldestQueuedJobOfAnyNodeTakesAFreeSlot() {
        List<QueuedJob> queued = List.of(new QueuedJob(7, "a2", "b"), new QueuedJob(9, "a3", "a"));
        ClusterQueue.Turn turn = ClusterQueue.of(limits(1, 0), List.of(), queued);
        assertThat(turn.next()).extracting(QueuedJob::id).containsExactly(7L);
        assertThat(turn.occupied()).containsExactly("a2");
        assertThat(limits(1, 0).blocked("c1", turn.occupied())).as("a new trigger waits behind the queue").isPresent();
    }

    @Test
    void noSlotNoneNextAndLimitsCountRunningJobsOfEveryNode() {
        ClusterQueue.Turn turn = ClusterQueue.of(limits(2, 0), List.of("a1", "b1"), List.of(new QueuedJob(3, "a2", "a")));
        assertThat(turn.next()).isEmpty();
        assertThat(turn.occupied()).containsExactly("a1", "b1");
    }

    @Test
    void aJobBlockedByItsDestinationLetsAnotherDestinationGoButKeepsItsConnectionBehindIt() {
        List<QueuedJob> queued = List.of(new QueuedJob(1, "a2", "a"), new QueuedJob(2, "b1", "b"), new QueuedJob(3, "a2", "b"),
                new QueuedJob(4, "b2", "a"));
        ClusterQueue.Turn turn = ClusterQueue.of(limits(0, 1), List.of("a1"), queued);
        assertThat(turn.next()).extracting(QueuedJob::id).as("lake-a busy; b1 first on lake-b, b2 behind it").containsExactly(2L);
        assertThat(turn.occupied()).containsExactly("a1", "b1");
    }

    @Test
    void aJobWhoseConnectionRunsWaitsForItWithoutHoldingASlot() {
        List<QueuedJob> queued = List.of(new QueuedJob(5, "a1", "b"), new QueuedJob(6, "b1", "a"));
        ClusterQueue.Turn turn = ClusterQueue.of(limits(2, 0), List.of("a1"), queued);
        assertThat(turn.next()).extracting(QueuedJob::id).containsExactly(6L);
    }

    @Test
    void noLimitsEveryConnectionNotRunningIsNext() {
        List<QueuedJob> queued = List.of(new QueuedJob(1, "a1", "a"), new QueuedJob(2, "a2", "b"), new QueuedJob(3, "a1", "b"));
        assertThat(ClusterQueue.of(WorkerLimits.NONE, List.of("b1"), queued).next()).extracting(QueuedJob::id).containsExactly(1L, 2L);
    }
}
