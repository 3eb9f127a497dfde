package dev.caravan.sync;

import dev.caravan.spi.Field;
import java.util.List;
import java.util.Objects;

/**
 * The schema a stream was last synced with (its baseline for change detection): the fields written, in order, of
 * which {@code removed} are gone from the source and written as null; the source's primary key then; and the fields
 * the connection selected then ({@code selected}, empty = all), so an edit of the selection is told apart from a change
 * of the source.
 */
public record StreamSchema(List<Field> fields, List<String> removed, List<String> primaryKey, List<String> selected) {
    public StreamSchema {
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        removed = List.copyOf(Objects.requireNonNull(removed, "removed"));
        primaryKey = List.copyOf(Objects.requireNonNull(primaryKey, "primaryKey"));
        selected = List.copyOf(Objects.requireNonNull(selected, "selected"));
    }

    public java.util.Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Fields still in the source (written with values). */
    public List<String> liveNames() {
        return fields.stream().map(Field::name).filter(name -> !removed.contains(name)).toList();
    }
}
