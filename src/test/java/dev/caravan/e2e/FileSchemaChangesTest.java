package dev.caravan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.source.file.FileFixtures;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobStatus;
import dev.caravan.sync.SchemaChange;
import dev.caravan.testing.ParquetQuery;
import dev.caravan.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes of a files source: a column that appears in a later file is detected at the next sync, propagated
 * (the default policy), recorded on the job, and the Parquet files of both syncs read together with union_by_name.
 */
class FileSchemaChangesTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    @Test
    void aColumnAddedInALaterFileIsPropagatedAndRecorded(@TempDir Path home) throws Exception {
        Path drop = Files.createDirectories(home.resolve("drop"));
        Path lake = home.resolve("lake");
        FileFixtures.write(drop, "people/1.csv", "id,name\n1,ann\n2,bob\n", T0);
        try (TestingServer testing = new TestingServer(home); ParquetQuery duck = new ParquetQuery()) {
            testing.server().apply("""
                    sources:
                      - {name: folder, connector: files, config: {path: "%s", streams: '[{"name": "people", "globs": ["people/*.csv"], "format": "csv"}]'}}
                    destinations:
                      - {name: lake, connector: local, config: {path: "%s"}}
                    connections:
                      - name: people
                        source: folder
                        destination: lake
                        streams:
                          - {name: people, sync_mode: incremental_append, cursor_field: _ab_source_file_last_modified}
                    """.formatted(drop, lake), "files.yaml");
            JobRecord first = testing.server().syncNow("people").orElseThrow();
            assertThat(first.status()).as(first.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(changes(first)).isEmpty();

            FileFixtures.write(drop, "people/2.csv", "id,name,email\n3,cy,cy@example.com\n", T0.plusSeconds(60));
            JobRecord second = testing.server().syncNow("people").orElseThrow();
            assertThat(second.status()).as(second.errorMessage()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(changes(second)).extracting(SchemaChange::kind, SchemaChange::column, SchemaChange::action)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(SchemaChange.Kind.COLUMN_ADDED, "email", SchemaChange.Action.APPLIED));

            String all = "read_parquet('" + lake.resolve("raw/people") + "/**/*.parquet', union_by_name = true)";
            assertThat(duck.count("SELECT count(*) FROM " + all)).isEqualTo(3);
            assertThat(duck.count("SELECT count(*) FROM " + all + " WHERE email IS NULL")).isEqualTo(2);
            assertThat(duck.count("SELECT count(*) FROM " + all + " WHERE email = 'cy@example.com' AND id = 3")).isEqualTo(1);
        }
    }

    private static List<SchemaChange> changes(JobRecord job) {
        return job.streams().stream().flatMap(s -> s.schemaChanges().stream()).toList();
    }
}
