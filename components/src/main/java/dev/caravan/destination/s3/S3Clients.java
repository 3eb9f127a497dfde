package dev.caravan.destination.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the AWS SDK v2 S3 client of a configuration. Without static keys the SDK's default credential chain is
 * used (environment, system properties, web identity, profile, container and instance roles), resolved lazily and
 * refreshed by the SDK. Without a region: the SDK's default region chain, else us-east-1. The SDK retries
 * throttling, 5xx and connection failures (standard retry mode, 3 attempts).
 */
final class S3Clients {
    static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3Clients() {
    }

    static S3Client create(S3LakeConfig config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(region(config))
                .forcePathStyle(config.pathStyleAccess())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(16));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        if (config.staticKeys()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())));
        }
        return builder.build();
    }

    static Region region(S3LakeConfig config) {
        if (config.region() != null) {
            return Region.of(config.region());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return FALLBACK_REGION;
        }
    }
}
