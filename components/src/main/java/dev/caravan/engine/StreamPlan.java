package dev.caravan.engine;

import dev.caravan.spi.SplitReads;
import dev.caravan.spi.SyncMode;
import dev.caravan.sync.SchemaPolicy;
import java.util.List;
import java.util.Objects;

/**
 * What to sync for one stream: where it comes from and how it is read (a stream route's source options), and what to do
 * when the source's schema changed since the last sync ({@code schemaPolicy}, {@code backfillNewColumns}).
 * {@code splitReads} is the stream's split reads setting, null when the source's applies.
 */
public record StreamPlan(String connection, String stream, String source, SyncMode mode, List<String> fields, String cursorField,
                         List<String> primaryKey, int batchSize, SchemaPolicy schemaPolicy, boolean backfillNewColumns,
                         SplitReads splitReads) {
    public StreamPlan {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(schemaPolicy, "schemaPolicy");
        fields = List.copyOf(fields);
        primaryKey = List.copyOf(primaryKey);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
    }

    /** A plan that leaves split reads to the source's setting. */
    public StreamPlan(String connection, String stream, String source, SyncMode mode, List<String> fields, String cursorField,
                      List<String> primaryKey, int batchSize, SchemaPolicy schemaPolicy, boolean backfillNewColumns) {
        this(connection, stream, source, mode, fields, cursorField, primaryKey, batchSize, schemaPolicy, backfillNewColumns, null);
    }

    /** A plan with the default schema change policy. */
    public StreamPlan(String connection, String stream, String source, SyncMode mode, List<String> fields, String cursorField,
                      List<String> primaryKey, int batchSize) {
        this(connection, stream, source, mode, fields, cursorField, primaryKey, batchSize, SchemaPolicy.DEFAULT, false);
    }
}
