package dev.caravan.source.jdbc;

import java.util.Objects;

/** A table or view: the schema it lives in (a database for MySQL), its name and its kind as the database reports it. */
public record TableRef(String schema, String name, String kind) {
    public TableRef {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        kind = kind == null ? "TABLE" : kind;
    }

    /** The stream name: {@code schema.table}; see {@link StreamNames}. */
    public String streamName() {
        return StreamNames.of(schema, name);
    }
}
