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
}
