package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.SyncMode;
import dev.caravan.spi.WriteSummary;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every compression option writes files another reader decompresses, with the codec recorded in the footer. */
class ParquetCompressionTest {
    @TempDir
    Path dir;

    @Test
    void everyCodecIsReadableAndCompressesRepetitiveData() throws Exception {
        Map<CompressionCodecName, Long> sizes = new EnumMap<>(CompressionCodecName.class);
        for (String option : List.of("snappy", "zstd", "gzip", "none")) {
            CompressionCodecName codec = ParquetFormat.codec(option);
            Path root = dir.resolve(option);
            TestingLake lake = new TestingLake(root);
            ParquetFormat format = new ParquetFormat(codec, ParquetFormat.DEFAULT.fileSizeBytes(), ParquetFormat.MB);
            WriteSummary summary;
            try (ParquetStreamWriter writer = lake.open(format, TestingLake.request("orders", SyncMode.FULL_REFRESH_APPEND,
                    ParquetStreamWriterTest.batch(0, 1).schema(), 1))) {
                for (int b = 0; b < 5; b++) {
                    writer.write(ParquetStreamWriterTest.batch(b * 10_000L, 10_000));
                }
                summary = writer.commit();
            }
            sizes.put(codec, summary.bytes());
            try (TestingDuckDb duck = new TestingDuckDb()) {
                String source = TestingDuckDb.parquet(root.resolve("raw"));
                assertThat(duck.rows("select count(*), sum(id)::bigint, count(distinct name), min(_airbyte_meta) from " + source).get(0))
                        .containsExactly(50_000L, 50_000L * 49_999L / 2, 1000L, "{\"sync_id\":1,\"changes\":[]}");
                String file = "'" + root.resolve(summary.files().get(0)) + "'";
                assertThat(duck.rows("select distinct compression from parquet_metadata(" + file + ")"))
                        .containsExactly(List.of(codec.name()));
            }
        }
        assertThat(sizes.get(CompressionCodecName.SNAPPY)).isLessThan(sizes.get(CompressionCodecName.UNCOMPRESSED));
        assertThat(sizes.get(CompressionCodecName.ZSTD)).isLessThan(sizes.get(CompressionCodecName.SNAPPY));
        assertThat(sizes.get(CompressionCodecName.GZIP)).isLessThan(sizes.get(CompressionCodecName.SNAPPY));
    }
}
