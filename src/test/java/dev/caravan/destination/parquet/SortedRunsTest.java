package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external sort and merge behind the snapshot: many spilled runs, more than can be read at once, newest wins. */
class SortedRunsTest {
    private static final MessageType SCHEMA = new RowEncoder("s", new Schema(List.of(Field.nullable("key", FieldType.STRING),
            Field.nullable("version", FieldType.INT64), Field.nullable("_caravan_deleted", FieldType.BOOLEAN))), 1, 1, Instant.EPOCH).messageType();

    @TempDir
    Path dir;

    @Test
    void manyRunsMergeIntoOneRowPerKeyWithTheLastAddedWinning() throws Exception {
        DedupKeys keys = DedupKeys.of(SCHEMA, List.of("key"), "s");
        Random random = new Random(42);
        TreeMap<String, Long> expected = new TreeMap<>();
        long merged;
        List<Object[]> out = new ArrayList<>();
        try (SortedRuns runs = new SortedRuns(SCHEMA, keys, 512 * 1024, dir)) {
            for (long version = 0; version < 60_000; version++) {
                String key = "k" + random.nextInt(20_000);
                boolean delete = random.nextInt(10) == 0;
                runs.add(new Object[] {Binary.fromString("raw"), 0L, Binary.fromString("{}"), 0L, Binary.fromString(key), version, delete});
                if (delete) {
                    expected.remove(key);
                } else {
                    expected.put(key, version);
                }
            }
            assertThat(runs.spilledRuns()).as("the tiny budget spills often").isGreaterThan(20);
            List<RowSource> sources = runs.finish(8);
            assertThat(sources).hasSizeLessThanOrEqualTo(8);
            merged = RowMerge.merge(sources, keys, false, out::add);
        }
        assertThat(merged).isEqualTo(expected.size());
        List<String> keysOut = out.stream().map(r -> ((Binary) r[4]).toStringUsingUTF8()).toList();
        assertThat(keysOut).containsExactlyElementsOf(expected.keySet()); // sorted by unsigned bytes = String order for ASCII
        for (Object[] row : out) {
            assertThat(row[5]).isEqualTo(expected.get(((Binary) row[4]).toStringUsingUTF8()));
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("runs are deleted on close").isEmpty();
        }
    }
}
