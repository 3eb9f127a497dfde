import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Uploads a local file as one object, for bench/files.sh: {@code PutObject <endpoint> <bucket> <key> <file> <access key> <secret>}. */
public final class PutObject {
    public static void main(String[] args) {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[0])).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[4], args[5]))).build()) {
            s3.putObject(PutObjectRequest.builder().bucket(args[1]).key(args[2]).build(), RequestBody.fromFile(Path.of(args[3])));
        }
    }
}
