package dev.caravan.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A slice of a stream: up to thousands of rows, each an {@code Object[]} in {@link #schema()} order,
 * and the checkpoint reached once every row of this batch and the batches before it is durable.
 *
 * <p>{@code changes} maps a row index to the changes the source made to that row (null-able, sparse).
 * The rows array is owned by the batch: consumers must not keep references after handling it.
 */
public record RecordBatch(Schema schema, List<Object[]> rows, Map<String, Object> checkpoint, Map<Integer, List<FieldChange>> changes) {
    public RecordBatch {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(rows, "rows");
        checkpoint = checkpoint == null ? Map.of() : Map.copyOf(checkpoint);
        changes = changes == null ? Map.of() : changes;
    }

    public RecordBatch(Schema schema, List<Object[]> rows, Map<String, Object> checkpoint) {
        this(schema, rows, checkpoint, Map.of());
    }

    public int size() {
        return rows.size();
    }

    public List<FieldChange> changesOf(int rowIndex) {
        return changes.isEmpty() ? List.of() : changes.getOrDefault(rowIndex, List.of());
    }
}
