package dev.caravan.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.destination.parquet.ParquetFormat;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Error translation for responses S3Proxy cannot produce (it accepts any region): AWS's wrong-region answers, throttling,
 * missing credentials. The exceptions are built the way the SDK builds them from a response.
 */
class S3ErrorsTest {
    private static final S3LakeConfig AWS = new S3LakeConfig("sales-lake", "us-east-1", null, false, "", "AKIAEXAMPLE", "very-secret",
            ParquetFormat.DEFAULT);

    @Test
    void aWrongRegionNamesTheBucketsRegion() {
        CaravanException malformed = S3Errors.of("write to", AWS, serviceError(400, "AuthorizationHeaderMalformed",
                "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", null));
        assertThat(malformed.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(malformed.getMessage()).contains("not in region us-east-1").contains("it is in eu-west-1. Fix: set region: eu-west-1.");

        CaravanException redirect = S3Errors.of("list", AWS, serviceError(301, "PermanentRedirect", "The bucket you are attempting to access must"
                + " be addressed using the specified endpoint.", "ap-southeast-2"));
        assertThat(redirect.getMessage()).contains("Fix: set region: ap-southeast-2.");

        CaravanException bare = S3Errors.of("list", AWS, serviceError(301, null, null, "eu-central-1"));
        assertThat(bare.getMessage()).contains("Fix: set region: eu-central-1.");
    }

    @Test
    void throttlingAndServerErrorsAreTransientAndDeniedAccessIsAConfigError() {
        assertThat(S3Errors.of("upload to", AWS, serviceError(503, "SlowDown", "Please reduce your request rate.", null)).type())
                .isEqualTo(ErrorType.TRANSIENT);
        assertThat(S3Errors.of("upload to", AWS, serviceError(500, "InternalError", "We encountered an internal error.", null)).type())
                .isEqualTo(ErrorType.TRANSIENT);
        CaravanException denied = S3Errors.of("write to", AWS, serviceError(403, "AccessDenied", "Access Denied", null));
        assertThat(denied.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(denied.getMessage()).contains("s3:PutObject").contains("s3:AbortMultipartUpload").doesNotContain("very-secret");
    }

    @Test
    void clientSideFailuresNameTheirCause() {
        CaravanException noCredentials = S3Errors.of("write to", AWS, SdkClientException.create(
                "Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(...)"));
        assertThat(noCredentials.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(noCredentials.getMessage()).contains("no credentials were found").contains("AWS_ACCESS_KEY_ID").contains("instance role");

        CaravanException unknownHost = S3Errors.of("write to", AWS, SdkClientException.create("Unable to execute HTTP request",
                new UnknownHostException("sales-lake.s3.amazonaws.com")));
        assertThat(unknownHost.type()).isEqualTo(ErrorType.CONFIG);
        assertThat(unknownHost.getMessage()).contains("host of AWS S3 is unknown");

        S3LakeConfig minio = new S3LakeConfig("lake", null, URI.create("http://minio:9000"), true, "", null, null, ParquetFormat.DEFAULT);
        CaravanException refused = S3Errors.of("write to", minio, SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")));
        assertThat(refused.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(refused.getMessage()).contains("http://minio:9000 is unreachable");
    }

    private static S3Exception serviceError(int status, String code, String message, String bucketRegion) {
        SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
        if (bucketRegion != null) {
            response.putHeader("x-amz-bucket-region", bucketRegion);
        }
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).sdkHttpResponse(response.build()).build())
                .build();
    }
}
