package dev.caravan.source.faker;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;

import java.util.ArrayList;
import java.util.List;

/** The three streams of the faker source: their catalog entries and their generators. */
final class FakerStreams {
    static final String ID = "id";
    static final String UPDATED_AT = "updated_at";
    /** Both order the rows the same way, since updated_at grows with id; no other field is monotonic. */
    static final List<String> CURSOR_FIELDS = List.of(UPDATED_AT, ID);

    static final Catalog CATALOG = new Catalog(List.of(
            catalogStream(UsersTable.NAME, UsersTable.SCHEMA),
            catalogStream(ProductsTable.NAME, ProductsTable.SCHEMA),
            catalogStream(PurchasesTable.NAME, PurchasesTable.SCHEMA)));

    private FakerStreams() {
    }

    /** The catalog entry of {@code name}; an unknown name is a configuration error listing the streams. */
    static CatalogStream stream(String name) {
        return CATALOG.stream(name).orElseThrow(() -> CaravanException.config(
                "the faker source has no stream '" + name + "'; choose one of: " + String.join(", ", CATALOG.streamNames())));
    }

    static FakeTable open(String name, FakerConfig config) {
        return switch (stream(name).name()) {
            case UsersTable.NAME -> new UsersTable(config);
            case ProductsTable.NAME -> new ProductsTable(config);
            case PurchasesTable.NAME -> new PurchasesTable(config);
            default -> throw new IllegalStateException("no generator for stream " + name);
        };
    }

    /** The fields selected from {@code stream} in source order (all when {@code fields} is empty). */
    static Schema project(CatalogStream stream, List<String> fields) {
        Schema schema = stream.schema();
        if (fields.isEmpty()) {
            return schema;
        }
        List<String> unknown = new ArrayList<>();
        for (String field : fields) {
            if (schema.indexOf(field) < 0 && !unknown.contains(field)) {
                unknown.add(field);
            }
        }
        if (!unknown.isEmpty()) {
            throw CaravanException.config("stream '" + stream.name() + "' of the faker source has no field "
                    + String.join(", ", unknown.stream().map(f -> "'" + f + "'").toList())
                    + "; its fields are: " + String.join(", ", schema.names()));
        }
        return schema.project(fields);
    }

    private static CatalogStream catalogStream(String name, Schema schema) {
        return new CatalogStream(name, schema, List.of(SyncMode.values()), List.of(ID), CURSOR_FIELDS, UPDATED_AT);
    }
}
