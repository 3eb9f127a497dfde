package dev.caravan.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.testing.TestingS3;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code check} against a real S3 server: it passes, and each usual mistake gets a message with its cause and fix, never a secret. */
class S3DestinationCheckTest {
    private static TestingS3 s3;
    private final S3Destination destination = new S3Destination();

    @BeforeAll
    static void start() {
        s3 = new TestingS3();
        s3.createBucket("checked");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void aWorkingConfigurationPassesAndLeavesNothingBehind() {
        assertThat(check(config("checked"))).isEqualTo(CheckResult.ok());
        Map<String, Object> prefixed = config("checked");
        prefixed.put("bucket_prefix", "team/lake");
        assertThat(check(prefixed)).isEqualTo(CheckResult.ok());
        assertThat(s3.keys("checked", "")).isEmpty();
    }

    @Test
    void aMissingBucketIsNamed() {
        CheckResult result = check(config("no-such-bucket"));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("'no-such-bucket' does not exist").contains("Fix: create the bucket");
    }

    @Test
    void wrongKeysAreReportedWithoutTheSecret() {
        Map<String, Object> wrongSecret = config("checked");
        wrongSecret.put("secret_access_key", "not-the-secret-0123456789");
        CheckResult result = check(wrongSecret);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).containsAnyOf("SignatureDoesNotMatch", "InvalidAccessKeyId", "HTTP 403").contains("Fix:")
                .doesNotContain("not-the-secret-0123456789").doesNotContain(s3.secretKey());

        Map<String, Object> unknownKey = config("checked");
        unknownKey.put("access_key_id", "nobody");
        result = check(unknownKey);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).containsAnyOf("InvalidAccessKeyId", "SignatureDoesNotMatch", "HTTP 403").contains("access_key_id")
                .doesNotContain(s3.secretKey());
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> config = config("checked");
        config.put("endpoint", "http://127.0.0.1:" + closedPort);
        CheckResult result = check(config);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("http://127.0.0.1:" + closedPort + " is unreachable").contains("Fix: check that the store is running");

        config.put("endpoint", "http://no-such-host.invalid:9000");
        assertThat(check(config).message()).contains("host of http://no-such-host.invalid:9000 is unknown").contains("Fix: correct 'endpoint'");
    }

    @Test
    void anInvalidConfigurationFailsBeforeAnyRequest() {
        Map<String, Object> config = config("Not_A_Bucket");
        config.remove("secret_access_key");
        CheckResult result = check(config);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).contains("bucket: 'Not_A_Bucket'").contains("secret_access_key: is required when access_key_id is set");
    }

    private CheckResult check(Map<String, Object> raw) {
        ConnectorConfig config = destination.spec().validate(raw, "");
        return destination.check(config);
    }

    private static Map<String, Object> config(String bucket) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("bucket", bucket);
        raw.put("endpoint", s3.endpoint().toString());
        raw.put("path_style_access", true);
        raw.put("region", "us-east-1");
        raw.put("access_key_id", s3.accessKey());
        raw.put("secret_access_key", s3.secretKey());
        return raw;
    }
}
