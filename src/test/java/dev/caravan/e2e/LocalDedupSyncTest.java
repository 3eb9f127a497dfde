package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.testing.FakerRows;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local destination accepts incremental_append_deduped from a configs-as-code document and keeps its snapshot. */
class LocalDedupSyncTest {
    private static final List<String> FIELDS = List.of("id", "name", "email", "updated_at");

    @Test
    void aDedupedConnectionToTheLocalLakeKeepsOneRowPerKey(@TempDir Path home) {
        Path lake = home.resolve("lake");
        try (TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            for (int count : new int[] {1000, 1500}) {
                testing.server().apply("""
                        sources:
                          - {name: faker-demo, connector: faker, config: {seed: 7, count: %d}}
                        destinations:
                          - {name: lake, connector: local, config: {path: "%s"}}
                        connections:
                          - name: users-deduped
                            source: faker-demo
                            destination: lake
                            namespace: dedup
                            streams:
                              - {name: users, sync_mode: incremental_append_deduped, cursor_field: updated_at, primary_key: [id], fields: [id, name, email, updated_at]}
                        """.formatted(count, lake), "dedup.yaml");
                JobRecord job = testing.server().syncNow("users-deduped").orElseThrow();
                assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
                assertThat(job.records()).isEqualTo(count == 1000 ? 1000 : 500);
                new FakerRows(7).assertSameRows(duck.rows("SELECT * FROM " + ParquetQuery.files(lake.resolve("snapshot/dedup/users")) + " ORDER BY id"),
                        "users", FIELDS, count);
            }
            assertThat(duck.count("SELECT count(*) FROM " + ParquetQuery.files(lake.resolve("raw/dedup/users")))).isEqualTo(1500);
        }
    }
}
