package dev.caravan.acceptance;

import dev.caravan.destination.s3.S3Destination;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.testing.TestingS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The S3 Parquet destination passes the acceptance kit against S3Proxy; objects are downloaded and read with DuckDB. */
class S3DestinationAcceptanceTest extends DestinationAcceptanceKit {
    private TestingS3 s3;
    private String bucket;

    @BeforeAll
    void start() {
        s3 = new TestingS3();
        bucket = s3.createBucket("kit-lake");
    }

    @AfterAll
    void stop() {
        s3.close();
    }

    @Override
    protected DestinationConnector connector() {
        return new S3Destination();
    }

    @Override
    protected Map<String, Object> config() {
        return Map.of("bucket", bucket, "endpoint", s3.endpoint().toString(), "path_style_access", true, "region", "us-east-1",
                "access_key_id", s3.accessKey(), "secret_access_key", s3.secretKey());
    }

    @Override
    protected Map<String, Object> otherPlaceConfig() {
        Map<String, Object> other = new HashMap<>(config());
        other.put("bucket_prefix", "elsewhere");
        return other;
    }

    @Override
    protected List<BadConfig> badConfigs() {
        return List.of(BadConfig.of("bucket", "no-such-bucket-kit"), BadConfig.of("secret_access_key", "wrong-secret"),
                BadConfig.of("endpoint", "http://127.0.0.1:1"));
    }

    @Override
    protected List<List<String>> committedRows(ConnectorConfig config, String namespace, String stream) throws Exception {
        Path target = Files.createTempDirectory("kit-s3");
        s3.download(bucket, "raw/" + namespace + "/" + stream + "/", target);
        s3.download(bucket, "_airbyte_internal/state/" + namespace + "/" + stream + "/current.json", target);
        return LakeReader.rows(target, namespace, stream);
    }
}
