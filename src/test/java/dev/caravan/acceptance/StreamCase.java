package dev.caravan.acceptance;

import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.SyncMode;
import java.util.List;
import java.util.Map;

/**
 * One stream read in one sync mode and the records it must give, each as the texts of its values in schema order
 * ({@link Values#text}: {@code String.valueOf}, null as {@code "null"}, bytes as base64). Small batches make many
 * checkpoints for the resume tests.
 */
public record StreamCase(String stream, SyncMode mode, String cursorField, List<String> primaryKey, List<List<String>> expected,
                         int batchSize) {
    public StreamCase {
        primaryKey = List.copyOf(primaryKey);
        expected = expected.stream().map(List::copyOf).toList();
    }

    public StreamCase(String stream, SyncMode mode, String cursorField, List<String> primaryKey, List<List<String>> expected) {
        this(stream, mode, cursorField, primaryKey, expected, 7);
    }

    ReadRequest request(Map<String, Object> state, int batchSize) {
        return new ReadRequest(stream, List.of(), mode, cursorField, primaryKey, state, batchSize);
    }
}
