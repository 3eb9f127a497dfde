package dev.caravan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server for tests: S3Proxy on 127.0.0.1 (random port) with the filesystem backend in a fresh
 * temporary directory, deleted on close. It can be stopped and started again on the same port and directory, to
 * simulate an outage. {@link #client()} talks to it like a user would (path style, static keys).
 */
public final class TestingS3 implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path baseDir;
    private final String accessKey = "caravan-" + UUID.randomUUID().toString().substring(0, 8);
    private final String secretKey = UUID.randomUUID().toString();
    private S3Proxy proxy;
    private int port;
    private final S3Client client;

    public TestingS3() {
        try {
            baseDir = Files.createTempDirectory("caravan-s3proxy-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            start(0);
        } catch (RuntimeException e) {
            deleteBaseDir();
            throw e;
        }
        client = S3Client.builder()
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public S3Client client() {
        return client;
    }

    /** Creates a bucket and returns its name. */
    public String createBucket(String name) {
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    /** The destination config of the {@code s3} connector for {@code bucket}, as YAML flow mapping entries. */
    public String destinationConfig(String bucket, String extra) {
        return "{bucket: " + bucket + ", endpoint: \"" + endpoint() + "\", path_style_access: true, region: us-east-1, access_key_id: \""
                + accessKey + "\", secret_access_key: \"" + secretKey + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    /** Keys of the visible objects under {@code prefix}, sorted. */
    public List<String> keys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            keys.add(object.key());
        }
        keys.sort(null);
        return keys;
    }

    /** Multipart uploads started and neither completed nor aborted. */
    public List<MultipartUpload> unfinishedUploads(String bucket) {
        return client.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads().stream().toList();
    }

    /** Downloads every object under {@code prefix} into {@code target}, keeping the key paths; returns the target. */
    public Path download(String bucket, String prefix, Path target) {
        try {
            for (String key : keys(bucket, prefix)) {
                Path file = target.resolve(key);
                Files.createDirectories(file.getParent());
                Files.write(file, client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] read(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** Stops the server: requests fail with connection refused until {@link #restart()}. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            // a graceful stop that outlasts the stop timeout (open keep-alive connections) still stops the server
            if (!(e.getCause() instanceof java.util.concurrent.TimeoutException || e instanceof java.util.concurrent.TimeoutException)) {
                throw new IllegalStateException("S3Proxy did not stop", e);
            }
        }
        proxy = null;
    }

    /** Starts the server again on the same port and directory. */
    public synchronized void restart() {
        if (proxy == null) {
            start(port);
        }
    }

    public synchronized boolean running() {
        return proxy != null;
    }

    @Override
    public void close() {
        try {
            client.close();
            stop();
        } finally {
            deleteBaseDir();
        }
    }

    private void deleteBaseDir() {
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start(int onPort) {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        properties.setProperty("jclouds.identity", accessKey);
        properties.setProperty("jclouds.credential", secretKey);
        S3Proxy started = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://127.0.0.1:" + onPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .stopTimeout(100)
                .build();
        try {
            started.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!"STARTED".equals(started.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT + ": " + started.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on port " + onPort, e);
        }
        proxy = started;
        port = started.getPort();
    }
}
