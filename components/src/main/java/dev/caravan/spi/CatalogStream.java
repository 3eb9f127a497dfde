package dev.caravan.spi;

import java.util.List;
import java.util.Objects;

/**
 * A stream a source offers: its schema, the sync modes it supports, its primary key (may be empty),
 * the fields usable as cursor and the one a source suggests.
 */
public record CatalogStream(String name, Schema schema, List<SyncMode> supportedSyncModes, List<String> primaryKey,
                            List<String> cursorCandidates, String defaultCursorField) {
    public CatalogStream {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
        supportedSyncModes = List.copyOf(supportedSyncModes);
        primaryKey = List.copyOf(primaryKey);
        cursorCandidates = List.copyOf(cursorCandidates);
    }
}
