package dev.caravan.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.StreamSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What schema change detection keeps in the metadata store (migration V11), on H2 and PostgreSQL. */
class StreamSchemaRepositoryTest {
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
        return STORES.open(kind, temp.resolve(name), "caravan_stream_schema", "caravan_connection_streams");
    }

    private static final StreamSchema USERS = new StreamSchema(List.of(Field.required("id", FieldType.INT64), Field.nullable("amount", FieldType.decimal(12, 2)),
            Field.nullable("legacy", FieldType.STRING)), List.of("legacy"), List.of("id"), List.of("id", "amount"));

    @ParameterizedTest
    @MethodSource("databases")
    void baselinesAreKeptPerStreamAndForgottenByAcceptResetAndDelete(String kind) {
        try (StateDatabase db = open(kind, "schemas")) {
            StreamStateRepository states = new StreamStateRepository(db.dataSource());
            assertThat(states.schema("c", "users")).isEmpty();
            states.saveSchema("c", "users", USERS);
            states.saveSchema("c", "orders", new StreamSchema(List.of(Field.nullable("n", FieldType.INT32)), List.of(), List.of(), List.of()));
            assertThat(states.schema("c", "users")).contains(USERS);
            StreamSchema changed = new StreamSchema(List.of(Field.required("id", FieldType.INT64)), List.of(), List.of("id"), List.of());
            states.saveSchema("c", "users", changed);
            assertThat(states.schema("c", "users")).contains(changed);

            states.reset("c", "users");
            assertThat(states.schema("c", "users")).as("a reset starts over").isEmpty();
            assertThat(states.schema("c", "orders")).isPresent();

            states.saveSchema("c", "users", USERS);
            states.saveKnownStreams("c", "src", List.of("users", "orders"));
            assertThat(states.forgetSchemas("c", List.of("users"))).containsExactly("users");
            assertThat(states.schema("c", "users")).isEmpty();
            assertThat(states.knownStreams("c", "src")).as("accepting one stream keeps the stream list").contains(List.of("users", "orders"));
            assertThat(states.forgetSchemas("c", List.of())).containsExactly("orders");
            assertThat(states.knownStreams("c", "src")).isEmpty();

            states.saveSchema("c", "users", USERS);
            states.saveKnownStreams("c", "src", List.of());
            assertThat(states.knownStreams("c", "src")).contains(List.of());
            states.saveKnownStreams("c", "src", List.of("a"));
            assertThat(states.knownStreams("c", "src")).contains(List.of("a"));
            states.deleteConnection("c");
            assertThat(states.schema("c", "users")).isEmpty();
            assertThat(states.knownStreams("c", "src")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void schemaChangesAreRecordedOnTheJobAndItsStreams(String kind) {
        try (StateDatabase db = open(kind, "jobs")) {
            JobRepository jobs = new JobRepository(db.dataSource());
            long id = jobs.start("c", "manual", Instant.now().truncatedTo(ChronoUnit.MICROS));
            SchemaChange added = new SchemaChange("new_table", SchemaChange.Kind.STREAM_ADDED, null, null, null, SchemaChange.Action.NOTED, false, "noted");
            SchemaChange widened = new SchemaChange("users", SchemaChange.Kind.TYPE_WIDENED, "score", "int32", "int64", SchemaChange.Action.APPLIED, false,
                    "widened");
            jobs.recordSchemaChanges(id, List.of(added));
            JobStreamRecord stream = new JobStreamRecord(1, "users", JobStatus.SUCCEEDED, "full_refresh_append", 3, 10, 1, Map.of(), Map.of(), null,
                    List.of(), "x 1 -> y 1", List.of(widened));
            JobRecord ended = jobs.endJob(id, stream, new JobRepository.AttemptEnd(1, JobStatus.SUCCEEDED, 3, 10, null, null),
                    new JobRepository.JobEnd(JobStatus.SUCCEEDED, 3, 10, null, null));
            assertThat(ended.schemaChanges()).containsExactly(added);
            assertThat(ended.streams()).singleElement().extracting(JobStreamRecord::schemaChanges).isEqualTo(List.of(widened));
            assertThat(ended.allSchemaChanges()).containsExactly(added, widened);
        }
    }
}
