package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.spi.FullRefreshState;
import dev.caravan.sync.StreamState;
import dev.caravan.testing.FaultStep;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Route;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full refresh append interrupted mid-stream by a fault in its route: with a primary key the next job continues after
 * the last durable keyset checkpoint (no row lost or twice), and completing clears the checkpoint so the run after reads
 * everything again; without a key nothing of the failed run is visible and the next job reads every row.
 * The same cases under SIGKILL with PostgreSQL: CrashRecoveryIT.
 */
class FullRefreshResumeTest {
    private static final int ROWS = 200_000;

    private static String route(boolean faulty, boolean withKey) {
        String fault = FaultStep.onBatch(55, faulty);
        return """
                - route:
                    id: full.purchases
                    group: full
                    from:
                      uri: caravan-source:full/purchases
                      parameters: {source: faker-big, syncMode: full_refresh_append, %sbatchSize: 1000}
                      steps:
                %s        - to: {uri: caravan-parquet:lake, parameters: {namespace: full}}
                """.formatted(withKey ? "primaryKey: id, " : "", fault);
    }

    @ParameterizedTest(name = "primary key {0}")
    @ValueSource(booleans = {true, false})
    void anInterruptedFullRefreshAppendResumesWithAKeyAndRestartsWithout(boolean withKey, @TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            testing.server().apply("""
                    sources:
                      - {name: faker-big, connector: faker, config: {count: %d}}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s", file_size_mb: 1}}
                    connections:
                      - {name: full, source: faker-big, destination: lake, routes: hand_written}
                    """.formatted(ROWS / 2, lake), "setup.yaml");
            Path file = testing.routes().resolve("full.yaml");
            Files.writeString(file, route(true, withKey));
            testing.awaitStartedRoute("full.purchases", null);

            JobRecord failed = testing.server().syncNow("full").orElseThrow();
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            Path output = lake.resolve("raw/full/purchases");
            long published = Files.exists(output) ? duck.count("SELECT count(*) FROM " + ParquetQuery.files(output)) : 0;
            long resumeAfter = 0;
            if (withKey) {
                StreamState committed = testing.server().states().load("full", "purchases").orElseThrow();
                resumeAfter = ((Number) FullRefreshState.resumeAfter(committed.state()).get("id")).longValue();
                assertThat(resumeAfter).as("files were rolled and their checkpoint committed: %s", committed).isPositive().isLessThanOrEqualTo(55_000);
                assertThat(published).as("published rows are exactly the committed ones").isEqualTo(resumeAfter);
            } else {
                assertThat(published).as("without a key nothing of the failed run is visible").isZero();
            }

            Route faulty = testing.server().camelContext().getRoute("full.purchases");
            Files.writeString(file, route(false, withKey));
            testing.awaitStartedRoute(faulty.getRouteId(), faulty);
            JobRecord resumed = testing.server().syncNow("full").orElseThrow();
            assertThat(resumed.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(resumed.records()).as("rows the resumed job read").isEqualTo(ROWS - resumeAfter);
            assertCopies(duck, output, 1);
            // the job says why it read what it read
            String expected = withKey ? "resumed an interrupted run after {id=" + resumeAfter + "}" : "has no primary key";
            assertThat(resumed.streams()).singleElement().satisfies(stream -> assertThat(stream.warnings()).singleElement().asString()
                    .contains(expected).contains(withKey ? "only the rest" : "restarts from zero"));

            JobRecord next = testing.server().syncNow("full").orElseThrow();
            assertThat(next.records()).as("a completed run cleared the checkpoint").isEqualTo(ROWS);
            assertCopies(duck, output, 2);
        }
    }

    private static void assertCopies(ParquetQuery duck, Path output, int copies) {
        String files = ParquetQuery.files(output);
        assertThat(duck.count("SELECT count(*) FROM " + files)).isEqualTo((long) ROWS * copies);
        assertThat(duck.count("SELECT count(*) FROM (SELECT id FROM " + files + " GROUP BY id HAVING count(*) <> " + copies + ")"))
                .as("ids not present exactly %d times", copies).isZero();
        assertThat(duck.count("SELECT count(DISTINCT id) FROM " + files)).isEqualTo(ROWS);
    }
}
