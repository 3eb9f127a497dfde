package dev.caravan.source.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * A value delivered with some of its parts replaced by null because their type cannot hold them, e.g. an array holding
 * {@code infinity} among dates. {@code parts} name each nulled part after the field name, e.g. {@code [2]} or
 * {@code [1][3]} (the database's own subscripts); each becomes a change {@code field[2]} in {@code _airbyte_meta}.
 */
public record PartlyNulled(Object value, List<String> parts) {
    public PartlyNulled {
        Objects.requireNonNull(value, "value");
        parts = List.copyOf(parts);
    }
}
