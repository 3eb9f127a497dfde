package dev.caravan.state;

import java.time.Instant;
import java.util.Objects;

/** A source, destination or connection as stored: its kind, name, connector (null for connections) and JSON body. */
public record StoredDefinition(Kind kind, String name, String connector, String body, Instant updatedAt) {
    public enum Kind { SOURCE, DESTINATION, CONNECTION }

    public StoredDefinition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }
}
