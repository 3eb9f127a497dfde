package dev.caravan.spi;

import java.util.Objects;

/** A named, typed attribute of a record (a column). */
public record Field(String name, FieldType type, boolean nullable) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a field name cannot be blank");
        }
    }

    public static Field nullable(String name, FieldType type) {
        return new Field(name, type, true);
    }

    public static Field required(String name, FieldType type) {
        return new Field(name, type, false);
    }
}
