package dev.caravan.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.destination.parquet.ParquetFormat;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigOption;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

/** Validation of the S3 destination's options: defaults, all problems at once, normalisation, secrets never shown. */
class S3LakeConfigTest {
    private final ConnectorSpec spec = new S3Destination().spec();

    @Test
    void onlyTheBucketIsRequiredAndDefaultsMeanAwsWithTheDefaultChains() {
        S3LakeConfig config = S3LakeConfig.from(spec.validate(Map.of("bucket", "my-lake"), ""));
        assertThat(config).isEqualTo(new S3LakeConfig("my-lake", null, null, false, "", null, null, ParquetFormat.DEFAULT));
        assertThat(config.staticKeys()).isFalse();
        assertThat(config.location()).isEqualTo("s3://my-lake/");
        assertThat(spec.options()).filteredOn(ConfigOption::required).extracting(ConfigOption::name).containsExactly("bucket");
        assertThat(spec.secretNames()).containsExactly("access_key_id", "secret_access_key");
        assertThat(S3Clients.region(config)).as("no region anywhere: us-east-1").isNotNull();
    }

    @Test
    void everythingSetIsReadAndNormalised() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("bucket", "lake.example-1");
        raw.put("region", "eu-west-1");
        raw.put("endpoint", "https://minio.internal:9000/");
        raw.put("path_style_access", true);
        raw.put("bucket_prefix", "teams/data/");
        raw.put("access_key_id", "AKIAEXAMPLE");
        raw.put("secret_access_key", "very-secret");
        raw.put("compression", "zstd");
        raw.put("file_size_mb", 64);
        raw.put("row_group_mb", 16);
        S3LakeConfig config = S3LakeConfig.from(spec.validate(raw, ""));
        assertThat(config).isEqualTo(new S3LakeConfig("lake.example-1", "eu-west-1", URI.create("https://minio.internal:9000/"), true,
                "teams/data/", "AKIAEXAMPLE", "very-secret", new ParquetFormat(CompressionCodecName.ZSTD, 64L << 20, 16L << 20)));
        assertThat(config.toString()).doesNotContain("very-secret").doesNotContain("AKIAEXAMPLE").contains("static keys");
        ConnectorConfig validated = spec.validate(raw, "");
        assertThat(validated.masked()).containsEntry("secret_access_key", ConnectorSpec.MASK).containsEntry("access_key_id", ConnectorSpec.MASK);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsFix() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("bucket", "s3://My_Bucket/path");
        raw.put("region", "EU West");
        raw.put("endpoint", "minio:9000");
        raw.put("bucket_prefix", "/abs/../x");
        raw.put("secret_access_key", "very-secret");
        assertThatThrownBy(() -> S3LakeConfig.from(spec.validate(raw, ""))).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).extracting(p -> p.path())
                    .containsExactly("bucket", "region", "endpoint", "bucket_prefix", "access_key_id");
            assertThat(e.getMessage()).contains("without s3://").contains("e.g. http://minio:9000").contains("e.g. lakes/prod")
                    .contains("set both or neither").doesNotContain("very-secret");
        });
    }

    @Test
    void credentialsInTheEndpointAreRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> S3LakeConfig.from(spec.validate(Map.of("bucket", "lake", "endpoint", "http://minio:M1nio-Pa55@minio:9000"), "")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(p -> {
                        assertThat(p.path()).isEqualTo("endpoint");
                        assertThat(p.value()).isEqualTo("http://minio:" + ConnectorSpec.MASK + "@minio:9000");
                    });
                    assertThat(e.getMessage()).contains("access_key_id and secret_access_key").doesNotContain("M1nio-Pa55");
                });
    }

    @Test
    void anEmptyPrefixAndBlankOptionalValuesMeanNone() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("bucket", "abc");
        raw.put("bucket_prefix", "///");
        raw.put("region", " ");
        raw.put("endpoint", "");
        S3LakeConfig config = S3LakeConfig.from(spec.validate(raw, ""));
        assertThat(config.prefix()).isEmpty();
        assertThat(config.region()).isNull();
        assertThat(config.endpoint()).isNull();
    }
}
