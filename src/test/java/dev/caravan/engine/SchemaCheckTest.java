package dev.caravan.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SchemaChange.Action;
import dev.caravan.sync.SchemaChange.Kind;
import dev.caravan.sync.SchemaPolicy;
import dev.caravan.sync.StreamSchema;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classification and the decisions of schema change detection, without a source. */
class SchemaCheckTest {
    private static final Field ID = Field.required("id", FieldType.INT32);
    private static final Field NAME = Field.nullable("name", FieldType.STRING);
    private static final Field SCORE = Field.nullable("score", FieldType.INT32);
    private static final Field UPDATED = Field.nullable("updated_at", FieldType.TIMESTAMP);
    private static final StreamSchema BEFORE = new StreamSchema(List.of(ID, NAME, SCORE, UPDATED), List.of(), List.of("id"), List.of());

    private static StreamPlan plan(SchemaPolicy policy, SyncMode mode, List<String> fields, boolean backfill) {
        return new StreamPlan("c", "users", "src", mode, fields, "updated_at", List.of(), 100, policy, backfill);
    }

    private static StreamPlan plan(SchemaPolicy policy) {
        return plan(policy, SyncMode.INCREMENTAL_APPEND, List.of(), false);
    }

    private static Optional<CatalogStream> now(Field... fields) {
        return Optional.of(new CatalogStream("users", new Schema(List.of(fields)), List.of(SyncMode.values()), List.of("id"), List.of(), null));
    }

    @Test
    void firstSyncAndUnchangedSchemaReportNothing() {
        SchemaResolution first = SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT), Optional.empty(), now(ID, NAME));
        assertThat(first.detected()).isFalse();
        assertThat(first.changes()).isEmpty();
        SchemaResolution same = SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT), Optional.of(BEFORE), now(ID, NAME, SCORE, UPDATED));
        assertThat(same.changes()).isEmpty();
        assertThat(same.stops()).isFalse();
        assertThat(same.readFields()).as("all fields, as configured").isEmpty();
    }

    @Test
    void propagateReadsNewColumnsWidensAndKeepsRemovedOnesAsNull() {
        Field wider = Field.nullable("score", FieldType.INT64);
        Field email = Field.nullable("email", FieldType.STRING);
        SchemaResolution r = SchemaCheck.resolve(plan(SchemaPolicy.PROPAGATE_COLUMNS, SyncMode.INCREMENTAL_APPEND, List.of("id", "score", "updated_at", "name"), false),
                Optional.of(new StreamSchema(BEFORE.fields(), List.of(), List.of("id"), List.of("id", "score", "updated_at", "name"))),
                now(ID, wider, UPDATED, email));
        assertThat(r.changes()).extracting(SchemaChange::kind, SchemaChange::column, SchemaChange::action, SchemaChange::breaking).containsExactly(
                tuple(Kind.COLUMN_REMOVED, "name", Action.APPLIED, false),
                tuple(Kind.TYPE_WIDENED, "score", Action.APPLIED, false),
                tuple(Kind.COLUMN_ADDED, "email", Action.APPLIED, false));
        assertThat(r.readFields()).containsExactly("id", "score", "updated_at", "email");
        assertThat(r.padded()).containsExactly(NAME);
        assertThat(r.backfill()).isFalse();
    }

    @Test
    void ignoreKeepsTheFieldsReadBefore() {
        SchemaResolution r = SchemaCheck.resolve(plan(SchemaPolicy.IGNORE), Optional.of(BEFORE),
                now(ID, NAME, SCORE, UPDATED, Field.nullable("extra", FieldType.BOOLEAN)));
        assertThat(r.changes()).extracting(SchemaChange::kind, SchemaChange::action).containsExactly(tuple(Kind.COLUMN_ADDED, Action.IGNORED));
        assertThat(r.readFields()).containsExactly("id", "name", "score", "updated_at");
        assertThat(r.stops()).isFalse();
    }

    @Test
    void pausePausesOnAnyChangeButAWidening() {
        SchemaResolution widened = SchemaCheck.resolve(plan(SchemaPolicy.PAUSE), Optional.of(BEFORE),
                now(ID, NAME, Field.nullable("score", FieldType.INT64), UPDATED));
        assertThat(widened.stops()).isFalse();
        assertThat(widened.changes()).extracting(SchemaChange::kind).containsExactly(Kind.TYPE_WIDENED);
        SchemaResolution added = SchemaCheck.resolve(plan(SchemaPolicy.PAUSE), Optional.of(BEFORE),
                now(ID, NAME, SCORE, UPDATED, Field.nullable("x", FieldType.INT32)));
        assertThat(added.paused()).isTrue();
        assertThat(added.stopMessage()).contains("connection c is paused (schema_changes: pause)", "COLUMN_ADDED x", "accept-schema");
        assertThat(added.changes()).extracting(SchemaChange::action).containsExactly(Action.PAUSED);
    }

    @Test
    void breakingChangesStopTheStreamWithTheFixUnderEveryPolicy() {
        for (SchemaPolicy policy : List.of(SchemaPolicy.PROPAGATE_COLUMNS, SchemaPolicy.PROPAGATE_ALL, SchemaPolicy.IGNORE)) {
            SchemaResolution cursor = SchemaCheck.resolve(plan(policy), Optional.of(BEFORE), now(ID, NAME, SCORE));
            assertThat(cursor.stopMessage()).contains("CURSOR_REMOVED updated_at", "Fix: set another cursor_field for stream users in connection c");
            SchemaResolution key = SchemaCheck.resolve(plan(policy), Optional.of(BEFORE), now(NAME, SCORE, UPDATED));
            assertThat(key.stopMessage()).contains("PRIMARY_KEY_REMOVED id", "Fix: set another primary_key");
            SchemaResolution type = SchemaCheck.resolve(plan(policy), Optional.of(BEFORE), now(ID, Field.nullable("name", FieldType.INT64), SCORE, UPDATED));
            assertThat(type.stopMessage()).contains("TYPE_CHANGED name (string -> int64)", "accept-schema");
            assertThat(type.changes()).extracting(SchemaChange::action, SchemaChange::breaking).containsExactly(tuple(Action.STOPPED, true));
        }
        // a full refresh without a configured key does not depend on the source's key: its column dropping is not breaking
        SchemaResolution fullRefresh = SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT, SyncMode.FULL_REFRESH_APPEND, List.of(), false),
                Optional.of(BEFORE), now(NAME, SCORE, UPDATED));
        assertThat(fullRefresh.stops()).isFalse();
        assertThat(fullRefresh.changes()).extracting(SchemaChange::kind, SchemaChange::action).containsExactly(tuple(Kind.COLUMN_REMOVED, Action.APPLIED));
        // narrowing is not a widening
        SchemaResolution narrowed = SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT),
                Optional.of(new StreamSchema(List.of(ID, Field.nullable("big", FieldType.INT64), UPDATED), List.of(), List.of("id"), List.of())),
                now(ID, Field.nullable("big", FieldType.INT32), UPDATED));
        assertThat(narrowed.changes()).extracting(SchemaChange::kind).containsExactly(Kind.TYPE_CHANGED);
    }

    @Test
    void aVanishedStreamStops() {
        SchemaResolution r = SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT), Optional.of(BEFORE), Optional.empty());
        assertThat(r.changes()).extracting(SchemaChange::kind).containsExactly(Kind.STREAM_REMOVED);
        assertThat(r.stopMessage()).contains("no longer offers stream users", "remove the stream from connection c");
    }

    @Test
    void aColumnRemovedEarlierStaysNullWithoutBeingReportedAgain() {
        StreamSchema withRemoved = new StreamSchema(List.of(ID, NAME, SCORE, UPDATED), List.of("name"), List.of("id"), List.of());
        SchemaResolution r = SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT), Optional.of(withRemoved), now(ID, SCORE, UPDATED));
        assertThat(r.changes()).isEmpty();
        assertThat(r.padded()).containsExactly(NAME);
    }

    @Test
    void backfillOnlyForIncrementalStreamsThatGotAColumn() {
        Field email = Field.nullable("email", FieldType.STRING);
        assertThat(SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT, SyncMode.INCREMENTAL_APPEND, List.of(), true), Optional.of(BEFORE),
                now(ID, NAME, SCORE, UPDATED, email)).backfill()).isTrue();
        assertThat(SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT, SyncMode.FULL_REFRESH_APPEND, List.of(), true), Optional.of(BEFORE),
                now(ID, NAME, SCORE, UPDATED, email)).backfill()).isFalse();
        assertThat(SchemaCheck.resolve(plan(SchemaPolicy.IGNORE, SyncMode.INCREMENTAL_APPEND, List.of(), true), Optional.of(BEFORE),
                now(ID, NAME, SCORE, UPDATED, email)).backfill()).isFalse();
        assertThat(SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT, SyncMode.INCREMENTAL_APPEND, List.of(), false), Optional.of(BEFORE),
                now(ID, NAME, SCORE, UPDATED, email)).backfill()).isFalse();
    }

    @Test
    void anEditedFieldSelectionStartsDetectionAgain() {
        SchemaResolution r = SchemaCheck.resolve(plan(SchemaPolicy.DEFAULT, SyncMode.INCREMENTAL_APPEND, List.of("id", "updated_at"), false),
                Optional.of(BEFORE), now(ID, UPDATED, Field.nullable("new", FieldType.STRING)));
        assertThat(r.detected()).isFalse();
        assertThat(r.readFields()).containsExactly("id", "updated_at");
        assertThat(r.notes()).singleElement().asString().contains("fields of stream users were edited");
    }
}
