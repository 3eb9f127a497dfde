package dev.caravan.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.CaravanException;
import dev.caravan.state.StoredDefinition.Kind;
import dev.caravan.sync.StreamProgress;
import dev.caravan.sync.StreamState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same migrations and repositories on the embedded H2 file database and on a real PostgreSQL. */
class StateRepositoryTest {
    @TempDir
    static Path temp;
    private static final StateStores STORES = new StateStores();

    static Stream<String> databases() {
        return StateStores.kinds();
    }

    @AfterAll
    static void dropPostgres() {
        STORES.close();
    }

    private static StateDatabase open(String kind, String name) {
        return STORES.open(kind, temp.resolve(name), "caravan_definition", "caravan_stream_state", "caravan_job", "caravan_token");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void apiTokensAreFoundByNameAndByTheHashOfTheirSecret(String kind) {
        try (StateDatabase db = open(kind, "tokens")) {
            TokenRepository repo = new TokenRepository(db.dataSource());
            java.time.Instant created = java.time.Instant.parse("2026-01-02T03:04:05.123456Z");
            assertThat(repo.insert(new TokenRecord("ci", "editor", "a".repeat(64), created, "admin", null))).isTrue();
            assertThat(repo.insert(new TokenRecord("ci", "viewer", "b".repeat(64), created, "admin", null))).as("names are unique").isFalse();
            repo.insert(new TokenRecord("admin", "admin", "c".repeat(64), created, "caravan", null));
            assertThat(repo.findBySecretHash("a".repeat(64))).get().satisfies(t -> {
                assertThat(t.name()).isEqualTo("ci");
                assertThat(t.role()).isEqualTo("editor");
                assertThat(t.createdAt()).isEqualTo(created);
                assertThat(t.lastUsedAt()).isNull();
            });
            assertThat(repo.count("admin")).isEqualTo(1);
            repo.touch("ci", created.plusSeconds(60));
            assertThat(repo.find("ci")).get().extracting(TokenRecord::lastUsedAt).isEqualTo(created.plusSeconds(60));
            assertThat(repo.list()).extracting(TokenRecord::name).containsExactly("admin", "ci");
            assertThat(repo.delete("ci")).isTrue();
            assertThat(repo.findBySecretHash("a".repeat(64))).isEmpty();
            assertThat(repo.delete("ci")).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theLastJobWithAStatus(String kind) {
        try (StateDatabase db = open(kind, "last-jobs")) {
            JobRepository jobs = new JobRepository(db.dataSource());
            long first = jobs.start("c", "manual", java.time.Instant.now());
            jobs.finish(first, JobStatus.SUCCEEDED, 1, 1, null, null);
            long second = jobs.start("c", "manual", java.time.Instant.now());
            jobs.finish(second, JobStatus.FAILED, 0, 0, "CONFIG", "x");
            assertThat(jobs.lastWithStatus("c", JobStatus.SUCCEEDED)).get().extracting(JobRecord::id).isEqualTo(first);
            assertThat(jobs.lastWithStatus("c", JobStatus.FAILED)).get().extracting(JobRecord::id).isEqualTo(second);
            assertThat(jobs.lastWithStatus("other", JobStatus.SUCCEEDED)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void definitionsAreSavedReplacedListedAndDeleted(String kind) {
        try (StateDatabase db = open(kind, "definitions")) {
            DefinitionRepository repo = new DefinitionRepository(db.dataSource());
            assertThat(repo.save(Kind.SOURCE, "pg", "postgres", "body-1")).isTrue();
            assertThat(repo.save(Kind.SOURCE, "pg", "postgres", "body-1")).as("unchanged save").isFalse();
            assertThat(repo.save(Kind.SOURCE, "pg", "postgres", "body-2")).isTrue();
            repo.save(Kind.SOURCE, "faker", "faker", "body-f");
            repo.save(Kind.DESTINATION, "pg", "local", "body-d");
            assertThat(repo.find(Kind.SOURCE, "pg")).get().extracting(StoredDefinition::body).isEqualTo("body-2");
            assertThat(repo.list(Kind.SOURCE)).extracting(StoredDefinition::name).containsExactly("faker", "pg");
            assertThat(repo.delete(Kind.SOURCE, "pg")).isTrue();
            assertThat(repo.find(Kind.SOURCE, "pg")).isEmpty();
            assertThat(repo.find(Kind.DESTINATION, "pg")).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void definitionsSavedTogetherAreStoredAllOrNoneWithOneVersionStep(String kind) {
        try (StateDatabase db = open(kind, "definitions-together")) {
            DefinitionRepository repo = new DefinitionRepository(db.dataSource());
            repo.save(Kind.SOURCE, "pg", "postgres", "body-1");
            long before = repo.version();
            int changed = repo.saveAll(List.of(new DefinitionRepository.Definition(Kind.SOURCE, "pg", "postgres", "body-1"),
                    new DefinitionRepository.Definition(Kind.DESTINATION, "lake", "local", "body-d"),
                    new DefinitionRepository.Definition(Kind.CONNECTION, "c", null, "body-c")));
            assertThat(changed).as("the unchanged source is not counted").isEqualTo(2);
            assertThat(repo.version()).isEqualTo(before + 1);
            assertThat(repo.find(Kind.CONNECTION, "c")).get().extracting(StoredDefinition::body).isEqualTo("body-c");

            long stored = repo.version();
            // the second definition breaks a constraint (a body is required): the first is not stored either
            assertThatThrownBy(() -> repo.saveAll(List.of(new DefinitionRepository.Definition(Kind.CONNECTION, "d", null, "body-d"),
                    new DefinitionRepository.Definition(Kind.CONNECTION, "e", null, null))))
                    .isInstanceOf(CaravanException.class);
            assertThat(repo.find(Kind.CONNECTION, "d")).isEmpty();
            assertThat(repo.version()).isEqualTo(stored);
            assertThat(repo.saveAll(List.of(new DefinitionRepository.Definition(Kind.CONNECTION, "c", null, "body-c")))).isZero();
            assertThat(repo.version()).as("nothing changed: no version step").isEqualTo(stored);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void streamStateCommitsAreReadBackWithTypesAndKeptInHistory(String kind) {
        try (StateDatabase db = open(kind, "state")) {
            StreamStateRepository repo = new StreamStateRepository(db.dataSource());
            assertThat(repo.load("demo", "users")).isEmpty();
            repo.commit("demo", "users", new StreamState(Map.of("cursor", "2024-01-01T00:00:10Z", "id", 10L), 3), 7);
            repo.commit("demo", "users", new StreamState(Map.of("cursor", "2024-01-01T00:00:20Z", "id", 20L), 3), 8);
            StreamState loaded = repo.load("demo", "users").orElseThrow();
            assertThat(loaded.state()).containsEntry("id", 20L).containsEntry("cursor", "2024-01-01T00:00:20Z");
            assertThat(loaded.generationId()).isEqualTo(3);
            assertThat(repo.history("demo", "users")).extracting(s -> s.state().get("id")).containsExactly(10L, 20L);
            assertThat(repo.load("demo", "products")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void jobsRecordStreamsOutcomesAndInterruptions(String kind) {
        try (StateDatabase db = open(kind, "jobs")) {
            JobRepository jobs = new JobRepository(db.dataSource());
            long first = jobs.start("demo", "manual", java.time.Instant.now());
            jobs.recordStream(first, new JobStreamRecord(1, "users", JobStatus.SUCCEEDED, "incremental_append", 100, 2048, 1,
                    Map.of(), Map.of("id", 100L), null));
            jobs.finish(first, JobStatus.SUCCEEDED, 100, 2048, null, null);
            long second = jobs.start("demo", "scheduled", java.time.Instant.now());
            long other = jobs.start("other", "manual", java.time.Instant.now());

            JobRecord done = jobs.find(first).orElseThrow();
            assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(done.records()).isEqualTo(100);
            assertThat(done.bytes()).isEqualTo(2048);
            assertThat(done.endedAt()).isAfterOrEqualTo(done.startedAt());
            assertThat(done.streams()).singleElement().satisfies(s -> {
                assertThat(s.endState()).containsEntry("id", 100L);
                assertThat(s.startState()).isEmpty();
                assertThat(s.files()).isEqualTo(1);
            });
            assertThat(jobs.list("demo", 10)).extracting(JobRecord::id).containsExactly(second, first);
            assertThat(jobs.list("demo", 1)).extracting(JobRecord::id).containsExactly(second);

            assertThat(jobs.markRunningAsInterrupted()).extracting(JobRecord::id).containsExactlyInAnyOrder(second, other);
            assertThat(jobs.find(second).orElseThrow().status()).isEqualTo(JobStatus.INTERRUPTED);
            assertThat(jobs.find(other).orElseThrow().errorMessage()).contains("server stopped");
            assertThat(jobs.find(first).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobIsRecordedInAFewTransactionsWithItsAttemptsAndStreams(String kind) {
        try (StateDatabase db = open(kind, "attempts")) {
            JobRepository jobs = new JobRepository(db.dataSource());
            long id = jobs.start("demo", "scheduled", java.time.Instant.now());
            assertThat(jobs.find(id).orElseThrow().attempts()).singleElement()
                    .satisfies(a -> assertThat(a.status()).isEqualTo(JobStatus.RUNNING));

            JobStreamRecord users = new JobStreamRecord(1, "users", JobStatus.FAILED, "full_refresh_overwrite", 3, 30, 1, Map.of(), null, "boom");
            jobs.endAttempt(id, users, new JobRepository.AttemptEnd(1, JobStatus.FAILED, 3, 30, "TRANSIENT", "stream users: boom"));
            jobs.startAttempt(id, 2);
            jobs.recordStream(id, new JobStreamRecord(2, "orders", JobStatus.SUCCEEDED, "full_refresh_overwrite", 5, 50, 1, Map.of(), Map.of(), null));
            JobStreamRecord retried = new JobStreamRecord(2, "users", JobStatus.SUCCEEDED, "full_refresh_overwrite", 7, 70, 1, Map.of(), Map.of(), null);
            JobRecord ended = jobs.endJob(id, retried, new JobRepository.AttemptEnd(2, JobStatus.SUCCEEDED, 12, 120, null, null),
                    new JobRepository.JobEnd(JobStatus.SUCCEEDED, 15, 150, null, null));

            assertThat(ended).isEqualTo(jobs.find(id).orElseThrow());
            assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(ended.records()).isEqualTo(15);
            assertThat(ended.attempts()).extracting(AttemptRecord::status).containsExactly(JobStatus.FAILED, JobStatus.SUCCEEDED);
            assertThat(ended.attempts()).extracting(AttemptRecord::records).containsExactly(3L, 12L);
            assertThat(ended.attempts().get(0).errorMessage()).isEqualTo("stream users: boom");
            assertThat(ended.streams()).extracting(s -> s.attempt() + ":" + s.stream() + ":" + s.status())
                    .containsExactly("1:users:FAILED", "2:orders:SUCCEEDED", "2:users:SUCCEEDED");

            // A job ended outside its attempts (a crash) ends its running attempt with it.
            long crashed = jobs.start("demo", "manual", java.time.Instant.now());
            JobRecord failed = jobs.finish(crashed, JobStatus.FAILED, 0, 0, "SYSTEM", "out of memory");
            assertThat(failed.attempts()).singleElement().satisfies(a -> {
                assertThat(a.status()).isEqualTo(JobStatus.FAILED);
                assertThat(a.endedAt()).isNotNull();
                assertThat(a.errorMessage()).isEqualTo("out of memory");
            });

            // A skipped trigger ends when recorded; a queued one gets its first attempt when it starts running.
            JobRecord skipped = jobs.find(jobs.record("demo", "scheduled", JobStatus.SKIPPED, "job 1 was running")).orElseThrow();
            assertThat(skipped.endedAt()).isEqualTo(skipped.startedAt());
            assertThat(skipped.attempts()).isEmpty();
            long queued = jobs.record("demo", "manual", JobStatus.QUEUED, "waiting");
            assertThat(jobs.find(queued).orElseThrow().endedAt()).isNull();
            assertThat(jobs.markRunning(queued, java.time.Instant.now())).isTrue();
            assertThat(jobs.find(queued).orElseThrow().attempts()).singleElement()
                    .satisfies(a -> assertThat(a.status()).isEqualTo(JobStatus.RUNNING));
            assertThat(jobs.markRunning(queued, java.time.Instant.now())).as("only a QUEUED job starts").isFalse();
            assertThat(jobs.find(queued).orElseThrow().attempts()).hasSize(1);
            long waiting = jobs.record("demo", "manual", JobStatus.QUEUED, "waiting");
            assertThat(jobs.notQueued(List.of(queued, waiting))).containsExactly(queued);
            assertThat(jobs.cancelQueued(waiting, "cancelled while waiting in the queue")).isTrue();
            assertThat(jobs.cancelQueued(waiting, "again")).as("only a QUEUED job").isFalse();
            assertThat(jobs.find(waiting).orElseThrow()).satisfies(job -> {
                assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
                assertThat(job.endedAt()).isNotNull();
                assertThat(job.errorMessage()).isEqualTo("cancelled while waiting in the queue");
            });
            assertThat(jobs.notQueued(List.of(queued, waiting))).containsExactly(queued, waiting);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aJobInterruptedByACrashKeepsWhatItsCommittedCheckpointsWrote(String kind) {
        try (StateDatabase db = open(kind, "progress")) {
            JobRepository jobs = new JobRepository(db.dataSource());
            StreamStateRepository states = new StreamStateRepository(db.dataSource());
            long id = jobs.start("demo", "manual", java.time.Instant.now());
            jobs.recordStream(id, new JobStreamRecord(1, "orders", JobStatus.SUCCEEDED, "incremental_append", 5, 50, 1, Map.of(), Map.of("id", 5L), null));
            // users commits two checkpoints (each with the durable files so far), then the server is killed
            states.commit("demo", "users", new StreamState(Map.of("id", 100L), 0), id,
                    new StreamProgress(1, "incremental_append", Map.of("id", 7L), 100, 1000, 1));
            states.commit("demo", "users", new StreamState(Map.of("id", 200L), 0), id,
                    new StreamProgress(1, "incremental_append", Map.of("id", 7L), 200, 2100, 2));
            assertThat(jobs.find(id).orElseThrow().streams()).extracting(s -> s.stream() + ":" + s.status() + ":" + s.records())
                    .containsExactly("orders:SUCCEEDED:5", "users:RUNNING:200");

            assertThat(jobs.markRunningAsInterrupted()).extracting(JobRecord::id).containsExactly(id);
            JobRecord interrupted = jobs.find(id).orElseThrow();
            assertThat(interrupted.status()).isEqualTo(JobStatus.INTERRUPTED);
            assertThat(interrupted.records()).isEqualTo(205);
            assertThat(interrupted.bytes()).isEqualTo(2150);
            assertThat(interrupted.attempts()).singleElement().satisfies(a -> {
                assertThat(a.status()).isEqualTo(JobStatus.INTERRUPTED);
                assertThat(a.records()).isEqualTo(205);
                assertThat(a.bytes()).isEqualTo(2150);
            });
            assertThat(interrupted.streams()).filteredOn(s -> s.stream().equals("users")).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(JobStatus.INTERRUPTED);
                assertThat(s.records()).isEqualTo(200);
                assertThat(s.bytes()).isEqualTo(2100);
                assertThat(s.files()).isEqualTo(2);
                assertThat(s.startState()).containsEntry("id", 7L);
                assertThat(s.endState()).containsEntry("id", 200L);
                assertThat(s.errorMessage()).contains("server stopped");
            });

            // a stream that ends normally replaces its progress row
            long next = jobs.start("demo", "manual", java.time.Instant.now());
            states.commit("demo", "users", new StreamState(Map.of("id", 300L), 0), next,
                    new StreamProgress(1, "incremental_append", Map.of("id", 200L), 100, 1000, 1));
            jobs.recordStream(next, new JobStreamRecord(1, "users", JobStatus.SUCCEEDED, "incremental_append", 150, 1500, 2,
                    Map.of("id", 200L), Map.of("id", 350L), null));
            assertThat(jobs.find(next).orElseThrow().streams()).singleElement()
                    .satisfies(s -> assertThat(s.status() + ":" + s.records()).isEqualTo("SUCCEEDED:150"));
        }
    }

    /** A kill -9 loses a sequence's unused cached values: job ids must be handed out one at a time (CrashRecoveryIT kills). */
    @ParameterizedTest
    @MethodSource("databases")
    void jobIdsAreNotCachedSoACrashLeavesNoGap(String kind) {
        try (StateDatabase db = open(kind, "ids")) {
            String cacheOfJobIds = kind.equals("h2")
                    ? "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'CARAVAN_JOB' AND COLUMN_NAME = 'ID'"
                    : "SELECT cache_size FROM pg_sequences WHERE sequencename = pg_get_serial_sequence('caravan_job', 'id')::regclass::text "
                    + "OR schemaname || '.' || sequencename = pg_get_serial_sequence('caravan_job', 'id')";
            assertThat(new Sql(db.dataSource()).query(cacheOfJobIds, rs -> rs.getLong(1))).containsExactly(1L);
            JobRepository jobs = new JobRepository(db.dataSource());
            long first = jobs.start("demo", "manual", java.time.Instant.now());
            assertThat(jobs.start("demo", "manual", java.time.Instant.now())).isEqualTo(first + 1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void stateHistoryIsPrunedByCommitTime(String kind) {
        try (StateDatabase db = open(kind, "prune")) {
            new Sql(db.dataSource()).update("DELETE FROM caravan_stream_state_history");
            StreamStateRepository states = new StreamStateRepository(db.dataSource());
            states.commit("demo", "users", new StreamState(Map.of("id", 1L), 0), 1);
            java.time.Instant between = java.time.Instant.now().plusMillis(1);
            states.commit("demo", "users", new StreamState(Map.of("id", 2L), 0), 2);
            new Sql(db.dataSource()).update("UPDATE caravan_stream_state_history SET committed_at = ? WHERE job_id = 2",
                    between.plusSeconds(60).atOffset(java.time.ZoneOffset.UTC));
            assertThat(states.pruneHistory(between)).isEqualTo(1);
            assertThat(states.history("demo", "users")).extracting(s -> s.state().get("id")).containsExactly(2L);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void reopeningKeepsDataAndDoesNotRemigrate(String kind) {
        try (StateDatabase db = open(kind, "reopen")) {
            new DefinitionRepository(db.dataSource()).save(Kind.CONNECTION, "demo", null, "x");
        }
        if (kind.equals("h2")) {
            try (StateDatabase db = StateDatabase.open("jdbc:h2:file:" + temp.resolve("reopen"), "", "")) {
                assertThat(new DefinitionRepository(db.dataSource()).find(Kind.CONNECTION, "demo")).isPresent();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void anUnreachableDatabaseIsAConfigErrorNamingTheUrl() {
        assertThatThrownBy(() -> StateDatabase.open("jdbc:postgresql://127.0.0.1:1/nowhere", "postgres", "secret-pw"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/nowhere")
                .hasMessageContaining("caravan.state.url")
                .hasMessageNotContaining("secret-pw");
    }
}
