package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job manifests are pruned per stream to the newest {@code keep_job_manifests} after each committed job. */
class JobManifestRetentionTest {

    @Test
    void onlyTheNewestManifestsStay(@TempDir Path home) throws Exception {
        Path lake = home.resolve("lake");
        try (TestingServer server = new TestingServer(home)) {
            server.server().apply("""
                    sources: [{name: f, connector: faker, config: {count: 20}}]
                    destinations: [{name: lake, connector: local, config: {path: "%s", keep_job_manifests: 2}}]
                    connections: [{name: c, source: f, destination: lake, streams: [{name: users, sync_mode: full_refresh_append}]}]
                    """.formatted(lake), "setup.yaml");
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JobRecord job = server.server().syncNow("c").orElseThrow();
                assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
                ids.add(job.id());
            }
            try (Stream<Path> files = Files.list(lake.resolve("_airbyte_internal/state/users/jobs"))) {
                assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                        .containsExactlyInAnyOrder("job-" + ids.get(2) + ".json", "job-" + ids.get(3) + ".json");
            }
        }
    }
}
