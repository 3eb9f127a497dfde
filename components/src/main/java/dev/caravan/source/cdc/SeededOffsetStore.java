package dev.caravan.source.cdc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offset store for one read: in memory, seeded with the offset Caravan's state repository committed (passed
 * in the engine property {@value #SEED}: the serialized key and value, see {@link CdcOffsets}). What Debezium writes
 * here is never persisted: the durable offset is the checkpoint of the last batch whose Parquet files are published.
 */
public final class SeededOffsetStore extends MemoryOffsetBackingStore {
    static final String SEED = "caravan.offset.seed";
    private static final String SEPARATOR = "\n";

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object seed = config.originals().get(SEED);
        if (seed instanceof String text && !text.isEmpty()) {
            int split = text.indexOf(SEPARATOR);
            data.put(ByteBuffer.wrap(text.substring(0, split).getBytes(StandardCharsets.UTF_8)),
                    ByteBuffer.wrap(text.substring(split + 1).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    /** The engine property value for a key and value as Kafka Connect serializes them. */
    static String seed(byte[] key, byte[] value) {
        return new String(key, StandardCharsets.UTF_8) + SEPARATOR + new String(value, StandardCharsets.UTF_8);
    }
}
