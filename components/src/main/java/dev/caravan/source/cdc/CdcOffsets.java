package dev.caravan.source.cdc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * A Debezium offset as Caravan keeps it in a stream's state: {@code {"partition": {...}, "offset": {...}}}, the source
 * partition and offset of the last change of a durable batch, exactly as the connector reported them. It is turned back
 * into the key and value bytes Kafka Connect's offset storage holds (JSON without schemas, key
 * {@code [engine name, partition]}) to seed the next read.
 */
final class CdcOffsets {
    static final String PARTITION = "partition";
    static final String OFFSET = "offset";

    private CdcOffsets() {
    }

    static Map<String, Object> state(Map<String, ?> partition, Map<String, ?> offset) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(PARTITION, new LinkedHashMap<>(partition));
        state.put(OFFSET, new LinkedHashMap<>(offset));
        return state;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> offset(Map<String, Object> state) {
        Object offset = state.get(OFFSET);
        return offset instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The {@link SeededOffsetStore#SEED} value for {@code state}; empty when the state holds no offset (first sync). */
    @SuppressWarnings("unchecked")
    static String seed(String engineName, Map<String, Object> state) {
        if (!(state.get(PARTITION) instanceof Map<?, ?> partition) || !(state.get(OFFSET) instanceof Map<?, ?> offset)) {
            return "";
        }
        try (JsonConverter converter = new JsonConverter()) {
            converter.configure(Map.of("schemas.enable", "false"), true);
            byte[] key = converter.fromConnectData(engineName, null, Arrays.asList(engineName, partition));
            byte[] value = converter.fromConnectData(engineName, null, offset);
            return SeededOffsetStore.seed(key, value);
        }
    }

    /** A number in an offset as a long (state read back from JSON may hold an Integer), or -1 when absent. */
    static long longValue(Map<String, Object> offset, String key) {
        return offset.get(key) instanceof Number n ? n.longValue() : -1L;
    }
}
