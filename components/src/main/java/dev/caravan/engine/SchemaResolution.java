package dev.caravan.engine;

import dev.caravan.spi.Field;
import dev.caravan.sync.SchemaChange;
import java.util.List;

/**
 * What schema change detection decided for one stream in one job: the fields to read ({@code readFields}, as a
 * {@code ReadRequest} takes them, empty = all), the fields gone from the source that are still written, as null
 * ({@code padded}), the changes found, whether the stream must not run ({@code stopMessage}, and {@code paused} when
 * that is the connection's pause policy) and whether an incremental stream reads from the start to fill new columns
 * ({@code backfill}). {@code detected} is false when nothing was compared (first sync, replay, discover failed).
 */
record SchemaResolution(boolean detected, List<String> readFields, List<Field> padded, List<SchemaChange> changes, String stopMessage,
                        boolean paused, boolean backfill, List<String> notes) {
    SchemaResolution {
        readFields = List.copyOf(readFields);
        padded = List.copyOf(padded);
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    /** Nothing compared: the plan's fields are read as configured. */
    static SchemaResolution none(List<String> fields, List<String> notes) {
        return new SchemaResolution(false, fields, List.of(), List.of(), null, false, false, notes);
    }

    boolean stops() {
        return stopMessage != null;
    }
}
