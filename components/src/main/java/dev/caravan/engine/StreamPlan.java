package dev.caravan.engine;

import dev.caravan.spi.SyncMode;
import java.util.List;
import java.util.Objects;

/** What to sync for one stream: where it comes from and how it is read (a stream route's source options). */
public record StreamPlan(String connection, String stream, String source, SyncMode mode, List<String> fields, String cursorField,
                         List<String> primaryKey, int batchSize) {
    public StreamPlan {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        fields = List.copyOf(fields);
        primaryKey = List.copyOf(primaryKey);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
    }
}
