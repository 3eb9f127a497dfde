package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.Field;
import dev.caravan.spi.FieldType;
import dev.caravan.spi.Schema;
import dev.caravan.spi.SyncMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slow source still commits progress: a file open longer than the checkpoint interval is rolled and published. */
class ParquetCheckpointIntervalTest {
    private static final Schema SCHEMA = new Schema(List.of(Field.required("id", FieldType.INT64)));

    @Test
    void aFileOpenLongerThanTheIntervalIsRolledAtTheNextBatch(@TempDir Path dir) throws Exception {
        TestingLake lake = new TestingLake(dir);
        ParquetFormat format = new ParquetFormat(CompressionCodecName.SNAPPY, 128 * ParquetFormat.MB, ParquetFormat.MB, Duration.ofMillis(200));
        try (ParquetStreamWriter writer = lake.open(format, TestingLake.request("slow", SyncMode.INCREMENTAL_APPEND, SCHEMA, 1))) {
            assertThat(writer.write(TestingLake.batch(SCHEMA, List.<Object[]>of(new Object[] {1L})))).as("young file: not durable yet").isFalse();
            Thread.sleep(250);
            assertThat(writer.write(TestingLake.batch(SCHEMA, List.<Object[]>of(new Object[] {2L})))).as("old file rolled and published").isTrue();
            assertThat(lake.files()).filteredOn(f -> f.endsWith(".parquet") && f.startsWith("raw/")).hasSize(1);
            writer.commit();
        }
    }

    @Test
    void theIntervalIsAnOptionWithADefault() {
        ParquetFormat defaults = ParquetFormat.from(new LocalParquetDestination().spec().validate(java.util.Map.of("path", "/tmp/x"), ""));
        assertThat(defaults.maxFileAge()).isEqualTo(Duration.ofMinutes(5));
        ParquetFormat set = ParquetFormat.from(new LocalParquetDestination().spec()
                .validate(java.util.Map.of("path", "/tmp/x", "checkpoint_interval_seconds", 30), ""));
        assertThat(set.maxFileAge()).isEqualTo(Duration.ofSeconds(30));
    }
}
