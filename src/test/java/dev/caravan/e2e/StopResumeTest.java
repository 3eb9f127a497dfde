package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.sync.StreamState;
import dev.caravan.testing.FaultStep;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mandatory stop/resume test: an incremental sync is interrupted mid-stream by a fault injected in its route
 * (a Camel step that throws on the 56th batch), then resumed; every source row must be in the output exactly once.
 */
class StopResumeTest {
    private static final int ROWS = 200_000;

    private static String route(boolean faulty) {
        String fault = FaultStep.onBatch(55, faulty);
        return """
                - route:
                    id: resume.purchases
                    group: resume
                    from:
                      uri: caravan-source:resume/purchases
                      parameters: {source: faker-big, syncMode: incremental_append, cursorField: updated_at, primaryKey: id, batchSize: 1000}
                      steps:
                %s        - to: {uri: caravan-parquet:lake, parameters: {namespace: resume}}
                """.formatted(fault);
    }

    @Test
    void anInterruptedSyncResumesFromTheLastDurableCheckpointWithoutLossOrDuplicates(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            testing.server().apply("""
                    sources:
                      - {name: faker-big, connector: faker, config: {count: %d}}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s", file_size_mb: 1}}
                    connections:
                      - {name: resume, source: faker-big, destination: lake, routes: hand_written}
                    """.formatted(ROWS / 2, lake), "setup.yaml");
            Path file = testing.routes().resolve("resume.yaml");
            Files.writeString(file, route(true));
            testing.awaitStartedRoute("resume.purchases", null);

            JobRecord failed = testing.server().syncNow("resume").orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.errorMessage()).contains("injected fault");
            StreamState committed = testing.server().states().load("resume", "purchases").orElseThrow();
            long committedId = (Long) committed.state().get("id");
            Path output = lake.resolve("raw/resume/purchases");
            long published = duck.count("SELECT count(*) FROM " + ParquetQuery.files(output));
            assertThat(committedId).as("some files were rolled and committed before the fault").isPositive().isLessThanOrEqualTo(55_000);
            assertThat(published).as("published rows are exactly the committed ones").isEqualTo(committedId);
            assertThat(failed.streams().get(0).endState()).isEqualTo(committed.state());

            org.apache.camel.Route faulty = testing.server().camelContext().getRoute("resume.purchases");
            Files.writeString(file, route(false));
            testing.awaitStartedRoute(faulty.getRouteId(), faulty);
            JobRecord resumed = testing.server().syncNow("resume").orElseThrow();
            assertThat(resumed.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(resumed.records()).isEqualTo(ROWS - committedId);
            assertThat(resumed.streams().get(0).startState()).isEqualTo(committed.state());

            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);
            assertThat(duck.count("SELECT count(DISTINCT id) FROM " + ParquetQuery.files(output))).isEqualTo(ROWS);
            assertThat(duck.rows("SELECT min(id) AS lo, max(id) AS hi FROM " + ParquetQuery.files(output)).get(0))
                    .isEqualTo(Map.of("lo", 1L, "hi", (long) ROWS));
        }
    }
}
