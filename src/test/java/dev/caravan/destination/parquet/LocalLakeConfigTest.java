package dev.caravan.destination.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Options of the local destination: declared once, every default, every problem named with key, value and fix. */
class LocalLakeConfigTest {
    private static final ConnectorSpec SPEC = new LocalParquetDestination().spec();
    private static final String PREFIX = "destinations[0].config.";

    @Test
    void declaresEachOptionOnceWithItsDefaultAndDescription() {
        assertThat(SPEC.optionNames()).containsExactly("path", "compression", "file_size_mb", "row_group_mb", "checkpoint_interval_seconds",
                "encoding_threads", "keep_job_manifests", "overwrite_grace_period_minutes");
        assertThat(ParquetFormat.KEEP_JOB_MANIFESTS.defaultValue()).isEqualTo(100L);
        assertThat(LocalLakeConfig.from(SPEC.validate(Map.of("path", "/lake"), PREFIX)).format().overwriteGracePeriod())
                .isEqualTo(java.time.Duration.ofMinutes(60));
        assertThat(LocalLakeConfig.from(SPEC.validate(Map.of("path", "/lake", "overwrite_grace_period_minutes", 0), PREFIX)).format()
                .overwriteGracePeriod()).isZero();
        assertThatThrownBy(() -> SPEC.validate(Map.of("path", "/lake", "overwrite_grace_period_minutes", -1), PREFIX))
                .isInstanceOf(ConfigException.class).hasMessageContaining(PREFIX + "overwrite_grace_period_minutes").hasMessageContaining("-1");
        assertThatThrownBy(() -> SPEC.validate(Map.of("path", "/lake", "overwrite_grace_period_minutes", "soon"), PREFIX))
                .isInstanceOf(ConfigException.class).hasMessageContaining(PREFIX + "overwrite_grace_period_minutes");
        assertThat(LocalLakeConfig.from(SPEC.validate(Map.of("path", "/lake"), PREFIX)).format().keepJobManifests()).isEqualTo(100);
        assertThatThrownBy(() -> SPEC.validate(Map.of("path", "/lake", "keep_job_manifests", 0), PREFIX))
                .isInstanceOf(ConfigException.class).hasMessageContaining(PREFIX + "keep_job_manifests");
        assertThat(SPEC.options()).allSatisfy(o -> assertThat(o.description()).isNotBlank()).noneMatch(ConfigOption::secret);
        ConfigOption path = SPEC.options().get(0);
        assertThat(path.required()).isTrue();
        assertThat(path.type()).isEqualTo(ConfigOption.OptionType.STRING);
        assertThat(ParquetFormat.COMPRESSION.defaultValue()).isEqualTo("snappy");
        assertThat(ParquetFormat.COMPRESSION.allowedValues()).containsExactly("snappy", "zstd", "gzip", "none");
        assertThat(ParquetFormat.FILE_SIZE_MB.defaultValue()).isEqualTo(128L);
        assertThat(ParquetFormat.FILE_SIZE_MB.minimum()).isEqualTo(1L);
        assertThat(ParquetFormat.FILE_SIZE_MB.maximum()).isEqualTo(10240L);
        assertThat(ParquetFormat.ROW_GROUP_MB.defaultValue()).isEqualTo(32L);
        assertThat(ParquetFormat.ROW_GROUP_MB.minimum()).isEqualTo(1L);
        assertThat(ParquetFormat.ROW_GROUP_MB.maximum()).isEqualTo(1024L);
        assertThat(ParquetFormat.CHECKPOINT_INTERVAL_SECONDS.defaultValue()).isEqualTo(300L);
        assertThat(ParquetFormat.CHECKPOINT_INTERVAL_SECONDS.minimum()).isEqualTo(1L);
        assertThat(ParquetFormat.CHECKPOINT_INTERVAL_SECONDS.maximum()).isEqualTo(86_400L);
        assertThat(ParquetFormat.ENCODING_THREADS.defaultValue()).isEqualTo(0L);
        assertThat(ParquetFormat.ENCODING_THREADS.minimum()).isEqualTo(0L);
        assertThat(ParquetFormat.ENCODING_THREADS.maximum()).isEqualTo(16L);
    }

    @Test
    void encodingThreadsDefaultToHalfTheCoresAndTakeAnExplicitCount() {
        int half = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        assertThat(LocalLakeConfig.from(SPEC.validate(Map.of("path", "/lake"), PREFIX)).format().encodingThreads()).isEqualTo(half);
        assertThat(LocalLakeConfig.from(SPEC.validate(Map.of("path", "/lake", "encoding_threads", 0), PREFIX)).format().encodingThreads())
                .isEqualTo(half);
        assertThat(LocalLakeConfig.from(SPEC.validate(Map.of("path", "/lake", "encoding_threads", 3), PREFIX)).format().encodingThreads())
                .isEqualTo(3);
        assertThatThrownBy(() -> SPEC.validate(Map.of("path", "/lake", "encoding_threads", 17), PREFIX))
                .isInstanceOf(ConfigException.class).hasMessageContaining(PREFIX + "encoding_threads");
    }

    @Test
    void onlyThePathIsNeededAndEveryOtherOptionHasItsDefault() {
        LocalLakeConfig config = LocalLakeConfig.from(SPEC.validate(Map.of("path", "/var/lib/lake"), PREFIX));
        assertThat(config.root()).isEqualTo(Path.of("/var/lib/lake"));
        assertThat(config.format()).isEqualTo(new ParquetFormat(CompressionCodecName.SNAPPY, 128L << 20, 32L << 20));
        assertThat(config.format()).isEqualTo(ParquetFormat.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource({"snappy, SNAPPY", "zstd, ZSTD", "gzip, GZIP", "none, UNCOMPRESSED"})
    void compressionNamesMapToCodecs(String name, CompressionCodecName codec) {
        ConnectorConfig raw = SPEC.validate(Map.of("path", "/lake", "compression", name, "file_size_mb", 1, "row_group_mb", 1024), PREFIX);
        assertThat(LocalLakeConfig.from(raw).format()).isEqualTo(new ParquetFormat(codec, 1L << 20, 1024L << 20));
    }

    @Test
    void extremesOfTheRangesAreAccepted() {
        ConnectorConfig raw = SPEC.validate(Map.of("path", "/lake/../lake2", "file_size_mb", 10240, "row_group_mb", 1), PREFIX);
        LocalLakeConfig config = LocalLakeConfig.from(raw);
        assertThat(config.format().fileSizeBytes()).isEqualTo(10240L << 20);
        assertThat(config.format().rowGroupBytes()).isEqualTo(1L << 20);
        assertThat(config.root()).isEqualTo(Path.of("/lake2"));
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyValueAndFix() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("compression", "lz4");
        raw.put("file_size_mb", 0);
        raw.put("row_group_mb", 2048);
        raw.put("bucket", "x");
        assertThatThrownBy(() -> SPEC.validate(raw, PREFIX)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(PREFIX + "bucket", PREFIX + "path",
                    PREFIX + "compression", PREFIX + "file_size_mb", PREFIX + "row_group_mb");
            assertThat(e.problems()).filteredOn(p -> p.path().endsWith("compression")).singleElement()
                    .satisfies(p -> assertThat(p.value()).isEqualTo("lz4"))
                    .satisfies(p -> assertThat(p.fix()).contains("snappy, zstd, gzip, none"));
            assertThat(e.problems()).filteredOn(p -> p.path().endsWith("file_size_mb")).singleElement()
                    .satisfies(p -> assertThat(p.value()).isEqualTo("0"))
                    .satisfies(p -> assertThat(p.fix()).contains("between 1 and 10240"));
            assertThat(e.problems()).filteredOn(p -> p.path().endsWith("row_group_mb")).singleElement()
                    .satisfies(p -> assertThat(p.fix()).contains("between 1 and 1024"));
            assertThat(e.problems()).filteredOn(p -> p.path().endsWith("path")).singleElement()
                    .satisfies(p -> assertThat(p.fix()).contains("required", "lake root"));
            assertThat(e.problems()).filteredOn(p -> p.path().endsWith("bucket")).singleElement()
                    .satisfies(p -> assertThat(p.fix()).contains("unknown key", "path, compression, file_size_mb, row_group_mb", "encoding_threads"));
        });
    }

    @Test
    void wrongTypesAreNamed() {
        assertThatThrownBy(() -> SPEC.validate(Map.of("path", "/lake", "file_size_mb", "64"), PREFIX))
                .isInstanceOf(ConfigException.class).hasMessageContaining(PREFIX + "file_size_mb: '64' — must be a whole number");
    }

    @Test
    void aRelativePathIsResolvedAgainstTheWorkingDirectory() {
        ConnectorConfig raw = SPEC.validate(Map.of("path", "data/lake"), PREFIX);
        assertThat(LocalLakeConfig.from(raw).root()).isEqualTo(java.nio.file.Path.of("data/lake").toAbsolutePath());
    }

    @Test
    void aBlankPathIsRejected() {
        assertThatThrownBy(() -> SPEC.validate(Map.of("path", " "), PREFIX)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(PREFIX + "path: ' ' — cannot be blank");
    }

    @Test
    void recordsValidateTheirOwnInvariants() {
        assertThatThrownBy(() -> new ParquetFormat(CompressionCodecName.LZO, 1L << 20, 1L << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParquetFormat(CompressionCodecName.SNAPPY, 1000, 1L << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalLakeConfig(Path.of("relative"), ParquetFormat.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }
}
