package dev.caravan.engine;

import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.Field;
import dev.caravan.spi.Schema;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SchemaChange.Action;
import dev.caravan.sync.SchemaChange.Kind;
import dev.caravan.sync.SchemaPolicy;
import dev.caravan.sync.StreamSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares the schema a stream was last synced with ({@link StreamSchema}) with what the source's discover says now, and
 * decides by the connection's {@link SchemaPolicy} what this sync reads and writes. Pure: no I/O.
 */
final class SchemaCheck {
    private SchemaCheck() {
    }

    /**
     * @param baseline   the stream's last synced schema; empty before its first sync with detection
     * @param discovered the stream as discover lists it now; empty when the source no longer offers it
     */
    static SchemaResolution resolve(StreamPlan plan, Optional<StreamSchema> baseline, Optional<CatalogStream> discovered) {
        if (baseline.isEmpty()) {
            return SchemaResolution.none(plan.fields(), List.of());
        }
        StreamSchema before = baseline.get();
        String stream = plan.stream();
        if (discovered.isEmpty()) {
            SchemaChange removed = new SchemaChange(stream, Kind.STREAM_REMOVED, null, null, null, Action.STOPPED, true,
                    "the source no longer offers stream " + stream + " (its discover does not list it). Fix: restore it in the source, "
                            + "or remove the stream from connection " + plan.connection());
            return stopped(plan, List.of(removed));
        }
        if (!before.selected().equals(plan.fields())) {
            // the user changed the stream's field selection: that selection is the new starting point
            return SchemaResolution.none(plan.fields(), List.of("The fields of stream " + stream + " were edited: schema change detection "
                    + "starts again from this sync."));
        }
        Schema now = discovered.get().schema();
        // the key the stream depends on: the configured one, else the source's for incremental reads (their checkpoints
        // hold it); a full refresh without a configured key reads without one
        List<String> primaryKey = !plan.primaryKey().isEmpty() ? plan.primaryKey() : plan.mode().incremental() ? before.primaryKey() : List.of();
        List<SchemaChange> changes = new ArrayList<>();
        List<Field> padded = new ArrayList<>();
        for (Field field : before.fields()) {
            Optional<Field> current = now.field(field.name());
            if (current.isEmpty()) {
                padded.add(field);
                if (!before.removed().contains(field.name())) {
                    changes.add(removal(plan, field, primaryKey));
                }
            } else if (!before.removed().contains(field.name()) && !TypeWidening.same(field.type(), current.get().type())) {
                changes.add(retype(plan, field, current.get()));
            }
        }
        SchemaPolicy policy = plan.schemaPolicy();
        List<String> added = new ArrayList<>();
        for (Field field : now.fields()) {
            boolean known = before.field(field.name()).isPresent() && !before.removed().contains(field.name());
            if (!known) {
                added.add(field.name());
                Action action = policy.propagatesColumns() ? Action.APPLIED : policy == SchemaPolicy.IGNORE ? Action.IGNORED : Action.PAUSED;
                changes.add(new SchemaChange(stream, Kind.COLUMN_ADDED, field.name(), null, field.type().toString(), action, false,
                        action == Action.APPLIED ? "read and written from this sync on; older rows have null"
                                : action == Action.IGNORED ? "not read: schema_changes is ignore" : "not read: the connection is paused"));
            }
        }
        List<String> sourceKey = discovered.get().primaryKey();
        if (plan.primaryKey().isEmpty() && !before.primaryKey().isEmpty() && !sourceKey.equals(before.primaryKey())
                && before.primaryKey().stream().allMatch(key -> now.field(key).isPresent())) {
            boolean breaking = plan.mode().incremental();
            changes.add(new SchemaChange(stream, Kind.PRIMARY_KEY_CHANGED, null, String.join(",", before.primaryKey()), String.join(",", sourceKey),
                    breaking ? Action.STOPPED : Action.NOTED, breaking, breaking
                    ? "the stream's checkpoints hold the old key. Fix: set primary_key of stream " + stream + " explicitly, or reset the stream"
                    : "the next full refresh reads in the new key's order"));
        }
        List<SchemaChange> unapplied = changes.stream().filter(c -> c.kind() != Kind.TYPE_WIDENED && c.kind() != Kind.PRIMARY_KEY_CHANGED).toList();
        if (policy == SchemaPolicy.PAUSE && !unapplied.isEmpty()) {
            List<SchemaChange> paused = changes.stream().map(c -> c.kind() == Kind.TYPE_WIDENED ? c
                    : c.withAction(Action.PAUSED, c.breaking() ? c.note() : "not applied: the connection is paused")).toList();
            String message = "the source schema of stream " + stream + " changed (" + summaries(paused) + "); connection " + plan.connection()
                    + " is paused (schema_changes: pause). Fix: review the changes, accept them (POST /api/v1/connections/accept-schema "
                    + "{\"connection\": \"" + plan.connection() + "\"}, or the Accept button on the connection page), then enable the connection";
            return new SchemaResolution(true, plan.fields(), padded, paused, message, true, false, List.of());
        }
        if (changes.stream().anyMatch(SchemaChange::breaking)) {
            return stopped(plan, changes);
        }
        // what is read: the fields written last time that the source still has, plus the new ones when propagating
        Set<String> read = new LinkedHashSet<>();
        for (Field field : now.fields()) {
            boolean wasRead = before.liveNames().contains(field.name()) || plan.fields().contains(field.name());
            if (wasRead || added.contains(field.name()) && policy.propagatesColumns()) {
                read.add(field.name());
            }
        }
        List<String> readFields = plan.fields().isEmpty() && policy.propagatesColumns() ? List.of() : List.copyOf(read);
        List<SchemaChange> applied = changes.stream().map(c -> c.kind() == Kind.COLUMN_REMOVED
                ? c.withAction(Action.APPLIED, "kept in the schema, null in new rows") : c).toList();
        boolean backfill = plan.backfillNewColumns() && plan.mode().incremental()
                && applied.stream().anyMatch(c -> c.kind() == Kind.COLUMN_ADDED && c.action() == Action.APPLIED);
        List<String> notes = new ArrayList<>();
        if (!applied.isEmpty()) {
            notes.add("Schema changes of stream " + stream + ": " + summaries(applied) + ".");
        }
        if (backfill) {
            notes.add("backfill_new_columns: stream " + stream + " was read from the start so older rows get the new columns.");
        }
        return new SchemaResolution(true, readFields, padded, applied, null, false, backfill, notes);
    }

    private static SchemaResolution stopped(StreamPlan plan, List<SchemaChange> changes) {
        List<SchemaChange> marked = changes.stream().map(c -> c.breaking() ? c.withAction(Action.STOPPED, c.note())
                : c.withAction(Action.NOTED, c.note() + " (not applied: the stream stopped on a breaking change)")).toList();
        StringBuilder message = new StringBuilder("breaking schema change in stream ").append(plan.stream()).append(": ");
        List<String> reasons = marked.stream().filter(SchemaChange::breaking).map(c -> describe(c) + " - " + c.note()).toList();
        message.append(String.join("; ", reasons)).append(". The stream is not synced until this is fixed; the other streams continue");
        return new SchemaResolution(true, plan.fields(), List.of(), marked, message.toString(), false, false, List.of());
    }

    private static SchemaChange removal(StreamPlan plan, Field field, List<String> primaryKey) {
        String stream = plan.stream();
        if (field.name().equals(plan.cursorField()) && plan.mode().incremental()) {
            return new SchemaChange(stream, Kind.CURSOR_REMOVED, field.name(), field.type().toString(), null, Action.STOPPED, true,
                    "the cursor column is gone. Fix: set another cursor_field for stream " + stream + " in connection " + plan.connection()
                            + " (then reset the stream), or restore the column");
        }
        if (primaryKey.contains(field.name())) {
            return new SchemaChange(stream, Kind.PRIMARY_KEY_REMOVED, field.name(), field.type().toString(), null, Action.STOPPED, true,
                    "a primary key column is gone. Fix: set another primary_key for stream " + stream + " in connection " + plan.connection()
                            + " (then reset the stream), or restore the column");
        }
        return new SchemaChange(stream, Kind.COLUMN_REMOVED, field.name(), field.type().toString(), null, Action.APPLIED, false,
                "kept in the schema, null in new rows");
    }

    private static SchemaChange retype(StreamPlan plan, Field before, Field now) {
        String stream = plan.stream();
        if (TypeWidening.widens(before.type(), now.type())) {
            return new SchemaChange(stream, Kind.TYPE_WIDENED, before.name(), before.type().toString(), now.type().toString(), Action.APPLIED, false,
                    "widened: new files carry the wider type; readers of all files see it");
        }
        return new SchemaChange(stream, Kind.TYPE_CHANGED, before.name(), before.type().toString(), now.type().toString(), Action.STOPPED, true,
                "incompatible type change. Fix: accept it (POST /api/v1/connections/accept-schema {\"connection\": \"" + plan.connection()
                        + "\"}; new files then carry the new type beside old files with the old one), reset the stream, or restore the column type");
    }

    private static String describe(SchemaChange change) {
        return change.kind() + (change.column() == null ? "" : " " + change.column())
                + (change.from() != null && change.to() != null ? " (" + change.from() + " -> " + change.to() + ")" : "");
    }

    private static String summaries(List<SchemaChange> changes) {
        return String.join(", ", changes.stream().map(SchemaChange::summary).map(s -> s.substring(s.indexOf(": ") + 2)).toList());
    }
}
