package dev.caravan.source.http;

import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ReadRequest;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamReader;
import dev.caravan.spi.SyncMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading streams of the http source in tests: config against a {@link TestingHttpApi}, whole reads, their rows. */
final class HttpReads {
    /** The batches of one read, the warnings of the reader after it. */
    record Read(List<RecordBatch> batches, List<String> warnings) {
        Map<String, Object> state() {
            return batches.isEmpty() ? Map.of() : batches.get(batches.size() - 1).checkpoint();
        }

        /** The values of {@code field} in delivery order. */
        List<Object> values(String field) {
            List<Object> out = new ArrayList<>();
            for (RecordBatch b : batches) {
                int i = b.schema().indexOf(field);
                b.rows().forEach(r -> out.add(r[i]));
            }
            return out;
        }
    }

    private HttpReads() {
    }

    static ConnectorConfig config(TestingHttpApi api, Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(values);
        all.put("base_url", api.baseUrl());
        return HttpSource.SPEC.validate(all, "");
    }

    static Read read(ConnectorConfig config, String stream, SyncMode mode, String cursor, Map<String, Object> state) {
        List<RecordBatch> batches = new ArrayList<>();
        try (StreamReader reader = new HttpSource().read(config, new ReadRequest(stream, List.of(), mode, cursor, List.of(), state, 100))) {
            RecordBatch b;
            while ((b = reader.next()) != null) {
                batches.add(new RecordBatch(b.schema(), new ArrayList<>(b.rows()), b.checkpoint(), b.changes()));
            }
            return new Read(batches, reader.warnings());
        }
    }

    static int rows(List<RecordBatch> batches) {
        return batches.stream().mapToInt(RecordBatch::size).sum();
    }
}
