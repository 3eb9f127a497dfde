package dev.caravan.source.faker;

import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Helpers for the faker tests: configs, requests and reads that collect every batch. */
final class FakerTesting {
    static final FakerSource SOURCE = new FakerSource();

    private FakerTesting() {
    }

    static ConnectorConfig config(Map<String, ?> raw) {
        return SOURCE.spec().validate(raw, "");
    }

    static ConnectorConfig count(long count) {
        return config(Map.of("count", count));
    }

    static ReadRequest fullRefresh(String stream, Map<String, Object> state, int batchSize) {
        return new ReadRequest(stream, List.of(), SyncMode.FULL_REFRESH_OVERWRITE, null, List.of("id"), state, batchSize);
    }

    static ReadRequest incremental(String stream, Map<String, Object> state, int batchSize) {
        return new ReadRequest(stream, List.of(), SyncMode.INCREMENTAL_APPEND, "updated_at", List.of("id"), state, batchSize);
    }

    static ReadRequest projected(String stream, List<String> fields) {
        return new ReadRequest(stream, fields, SyncMode.FULL_REFRESH_APPEND, null, List.of("id"), Map.of(), 100);
    }

    /** Every batch the reader returns until it is exhausted. */
    static List<RecordBatch> batches(ConnectorConfig config, ReadRequest request) {
        List<RecordBatch> batches = new ArrayList<>();
        try (StreamReader reader = SOURCE.read(config, request)) {
            for (RecordBatch batch = reader.next(); batch != null; batch = reader.next()) {
                batches.add(batch);
            }
        }
        return batches;
    }

    static List<Object[]> rows(ConnectorConfig config, ReadRequest request) {
        return rows(batches(config, request));
    }

    static List<Object[]> rows(List<RecordBatch> batches) {
        List<Object[]> rows = new ArrayList<>();
        batches.forEach(b -> rows.addAll(b.rows()));
        return rows;
    }

    static List<Long> ids(List<Object[]> rows) {
        return rows.stream().map(r -> (Long) r[0]).toList();
    }

    static List<List<Object>> values(List<Object[]> rows) {
        return rows.stream().map(Arrays::asList).toList();
    }
}
