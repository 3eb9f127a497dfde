package dev.caravan.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.CaravanException;
import dev.caravan.sync.StreamState;
import dev.caravan.testing.TestingPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cluster mode's leases, heartbeats, take-over and commit fence on a real PostgreSQL metadata store. */
class ClusterRepositoryTest {

    @Test
    void leasesFollowHeartbeatsAndAJobCommitsOnlyWhileItHoldsItsLease() throws Exception {
        try (TestingPostgres postgres = new TestingPostgres();
             StateDatabase db = StateDatabase.open(postgres.jdbcUrl(), postgres.user(), "")) {
            Duration timeout = Duration.ofSeconds(3);
            ClusterRepository a = new ClusterRepository(db.dataSource(), "a", timeout);
            ClusterRepository b = new ClusterRepository(db.dataSource(), "b", timeout);
            JobRepository jobsOfA = new JobRepository(db.dataSource(), s -> s, "a");
            JobRepository jobsOfB = new JobRepository(db.dataSource(), s -> s, "b");
            StreamStateRepository states = new StreamStateRepository(db.dataSource(), true);
            a.heartbeat("http://a/api/v1");
            b.heartbeat("http://b/api/v1");
            assertThat(a.nodes()).extracting(ClusterRepository.Node::id, ClusterRepository.Node::alive)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", true), org.assertj.core.groups.Tuple.tuple("b", true));

            assertThat(a.acquire("c")).as("free: taken").isEmpty();
            long first = jobsOfA.start("c", "api", Instant.now());
            a.attach("c", first);
            assertThat(b.acquire("c")).as("held by a live node").get()
                    .isEqualTo(new ClusterRepository.Lease("c", "a", first));
            states.commit("c", "s", new StreamState(Map.of("cursor", 1), 1), first);
            assertThat(states.load("c", "s").orElseThrow().state()).containsEntry("cursor", 1L);
            assertThat(b.deadNodesWithJobs()).as("a beats").isEmpty();

            // a goes silent: b sees it dead, takes its job over and its lease; a's job can no longer commit
            Thread.sleep(timeout.toMillis() + 500);
            b.heartbeat("http://b/api/v1");
            assertThat(b.deadNodesWithJobs()).containsExactly("a");
            assertThat(jobsOfB.markInterruptedOnNode("a", "node a stopped answering")).singleElement().satisfies(job -> {
                assertThat(job.id()).isEqualTo(first);
                assertThat(job.status()).isEqualTo(JobStatus.INTERRUPTED);
                assertThat(job.errorMessage()).startsWith("node a stopped answering");
            });
            assertThat(jobsOfB.markInterruptedOnNode("a", "again")).as("taken over once").isEmpty();
            assertThat(b.acquire("c")).as("a silent node's lease is taken").isEmpty();
            long second = jobsOfB.start("c", "failover:" + first, Instant.now());
            b.attach("c", second);
            assertThat(jobsOfB.find(second).orElseThrow().nodeId()).isEqualTo("b");
            assertThatThrownBy(() -> states.commit("c", "s", new StreamState(Map.of("cursor", 2), 1), first))
                    .isInstanceOf(CaravanException.class).hasMessageContaining("no longer holds the lease");
            assertThat(states.load("c", "s").orElseThrow().state()).as("the fenced commit changed nothing").containsEntry("cursor", 1L);
            states.commit("c", "s", new StreamState(Map.of("cursor", 3), 1), second);
            assertThat(states.load("c", "s").orElseThrow().state()).containsEntry("cursor", 3L);

            a.release("c");
            assertThat(a.acquire("c")).as("a's release does not free b's lease").isPresent();
            b.release("c");
            a.heartbeat("http://a/api/v1");
            assertThat(a.acquire("c")).isEmpty();
        }
    }

    @Test
    void jobStartsOfTheClusterAreSerializedAndSeeTheLiveNodesJobs() throws Exception {
        try (TestingPostgres postgres = new TestingPostgres();
             StateDatabase db = StateDatabase.open(postgres.jdbcUrl(), postgres.user(), "")) {
            Duration timeout = Duration.ofSeconds(30);
            ClusterRepository a = new ClusterRepository(db.dataSource(), "a", timeout);
            ClusterRepository b = new ClusterRepository(db.dataSource(), "b", timeout);
            ClusterRepository silent = new ClusterRepository(db.dataSource(), "silent", timeout);
            JobRepository jobsOfA = new JobRepository(db.dataSource(), s -> s, "a");
            JobRepository jobsOfB = new JobRepository(db.dataSource(), s -> s, "b");
            JobRepository jobsOfSilent = new JobRepository(db.dataSource(), s -> s, "silent");
            a.heartbeat(null);
            b.heartbeat(null);
            silent.heartbeat(null);
            try (java.sql.Connection c = postgres.connect(); java.sql.Statement s = c.createStatement()) {
                s.execute("UPDATE caravan_node SET heartbeat_at = now() - INTERVAL '1 hour' WHERE node_id = 'silent'");
            }
            jobsOfA.start("own", "api", Instant.now());
            jobsOfB.start("x", "api", Instant.now());
            long queuedOnB = jobsOfB.record("y", "api", JobStatus.QUEUED, "waiting for a free worker");
            long queuedLaterOnB = jobsOfB.record("x", "api", JobStatus.QUEUED, "waiting for job 2");
            jobsOfB.record("z", "api", JobStatus.SKIPPED, "job 9 was running");
            jobsOfSilent.start("dead-running", "api", Instant.now());
            jobsOfSilent.record("dead-queued", "api", JobStatus.QUEUED, "waiting for a free worker");

            ClusterRepository.Slots seen = a.withStartLock(slots -> slots);
            assertThat(seen.runningElsewhere()).as("the other live nodes' RUNNING jobs; not a silent node's, not its own").containsExactly("x");
            assertThat(seen.queuedElsewhere()).as("oldest first").containsExactly(new ClusterRepository.QueuedJob(queuedOnB, "y", "b"),
                    new ClusterRepository.QueuedJob(queuedLaterOnB, "x", "b"));
            assertThat(a.queuedElsewhere("x").queuedElsewhere()).containsExactly(new ClusterRepository.QueuedJob(queuedLaterOnB, "x", "b"));
            assertThat(a.queuedElsewhere("dead-queued").queuedElsewhere()).isEmpty();
            java.util.List<String> seenByB = b.withStartLock(ClusterRepository.Slots::runningElsewhere);
            assertThat(seenByB).containsExactly("own");

            // two nodes check "fewer than 2 running elsewhere" and start at once: the lock lets one start, then the other sees it
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.Callable<Boolean> startOnA = () -> {
                together.await();
                return a.withStartLock(slots -> {
                    if (slots.runningElsewhere().size() >= 2) {
                        return false;
                    }
                    sleep(300);
                    jobsOfA.start("from-a", "api", Instant.now());
                    return true;
                });
            };
            java.util.concurrent.Callable<Boolean> startOnB = () -> {
                together.await();
                return b.withStartLock(slots -> {
                    if (slots.runningElsewhere().size() >= 2) {
                        return false;
                    }
                    sleep(300);
                    jobsOfB.start("from-b", "api", Instant.now());
                    return true;
                });
            };
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = threads.submit(startOnA);
                var second = threads.submit(startOnB);
                assertThat(java.util.List.of(first.get(), second.get())).as("exactly one of the two started").containsExactlyInAnyOrder(true, false);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
