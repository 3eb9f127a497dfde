import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Warms up the S3 server of bench/lib.sh before anything is measured: a store that has just started spends seconds of
 * CPU compiling its own upload path, which a long-running store (and S3) has long done, and which would otherwise be
 * charged to the first measured S3 copy on the same cores. Uploads {@code objects} multipart objects of {@code parts}
 * 8 MiB parts, then deletes them.
 *
 * <p>Usage: {@code WarmStore endpoint bucket access-key secret-key [objects=6] [parts=8]}
 */
public final class WarmStore {
    private static final int PART_BYTES = 8 * 1024 * 1024;

    public static void main(String[] args) {
        int objects = args.length > 4 ? Integer.parseInt(args[4]) : 6;
        int parts = args.length > 5 ? Integer.parseInt(args[5]) : 8;
        byte[] part = new byte[PART_BYTES];
        new Random(7).nextBytes(part);
        long started = System.nanoTime();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[0])).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[2], args[3]))).build()) {
            for (int o = 0; o < objects; o++) {
                String key = "warm-up/object-" + o;
                String upload = s3.createMultipartUpload(b -> b.bucket(args[1]).key(key)).uploadId();
                List<CompletedPart> done = new ArrayList<>();
                for (int p = 1; p <= parts; p++) {
                    int number = p;
                    String eTag = s3.uploadPart(b -> b.bucket(args[1]).key(key).uploadId(upload).partNumber(number), RequestBody.fromBytes(part)).eTag();
                    done.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                }
                s3.completeMultipartUpload(b -> b.bucket(args[1]).key(key).uploadId(upload).multipartUpload(m -> m.parts(done)));
                s3.deleteObject(b -> b.bucket(args[1]).key(key));
            }
        }
        System.out.printf("warmed up the store with %d MB in %.1f s%n", (long) objects * parts * PART_BYTES >> 20, (System.nanoTime() - started) / 1e9);
    }
}
