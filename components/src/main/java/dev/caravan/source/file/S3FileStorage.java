package dev.caravan.source.file;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects of an S3 bucket (AWS or an S3-compatible store at a custom endpoint); a file's version is its ETag, and
 * reading asks for that ETag (If-Match), so an object replaced after listing is never read half old, half new.
 */
final class S3FileStorage implements FileStorage {
    private final S3Client s3;
    private final String bucket;

    S3FileStorage(FileSourceConfig.S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyleAccess())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)));
        if (settings.endpoint() != null) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        if (settings.accessKeyId() != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())));
        }
        this.s3 = builder.build();
        this.bucket = settings.bucket();
    }

    @Override
    public List<SourceFile> list(List<String> globs, List<PathMatcher> matchers) throws IOException {
        Map<String, SourceFile> found = new LinkedHashMap<>();
        try {
            for (String glob : globs) {
                ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(FileStorage.literalPrefix(glob)).build();
                for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
                    String key = object.key();
                    if (key.endsWith("/") || found.containsKey(key)) {
                        continue;
                    }
                    Path rel = Path.of(key);
                    if (matchers.stream().anyMatch(m -> m.matches(rel))) {
                        found.put(key, new SourceFile("s3://" + bucket + "/" + key, key, object.size(), object.lastModified(), etag(object.eTag())));
                    }
                }
            }
        } catch (SdkException e) {
            throw new IOException("listing s3://" + bucket + " failed: " + e.getMessage(), e);
        }
        return new ArrayList<>(found.values());
    }

    @Override
    public InputStream open(SourceFile file) throws IOException {
        try {
            return new AbortOnEarlyClose(s3.getObject(GetObjectRequest.builder().bucket(bucket).key(file.path()).ifMatch('"' + file.version() + '"').build()));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new FileChangedException("it changed after it was listed (ETag no longer " + file.version() + ")");
            }
            if (e.statusCode() == 404) {
                throw new FileChangedException("it was deleted after it was listed");
            }
            throw new IOException(e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Path localCopy(SourceFile file) throws IOException {
        Path copy = Files.createTempFile("caravan-s3-", ".parquet");
        try (InputStream in = open(file)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return copy;
    }

    @Override
    public void release(SourceFile file, Path localCopy) {
        try {
            Files.deleteIfExists(localCopy);
        } catch (IOException e) {
            localCopy.toFile().deleteOnExit();
        }
    }

    @Override
    public boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof software.amazon.awssdk.core.exception.SdkClientException || t instanceof java.net.SocketException
                    || t instanceof java.io.InterruptedIOException || t.getClass().getName().startsWith("org.apache.http.")
                    || (t instanceof S3Exception e && (e.statusCode() >= 500 || e.statusCode() == 429 || e.statusCode() == 403))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe() {
        return "s3://" + bucket;
    }

    @Override
    public void close() {
        s3.close();
    }

    /**
     * Closing an S3 body before its end would read (and drop) the rest of the object to reuse the connection: a sample of
     * 1,000 rows of a 5 GB object would download all of it. Closed early, the request is aborted instead.
     */
    private static final class AbortOnEarlyClose extends java.io.FilterInputStream {
        private final software.amazon.awssdk.core.ResponseInputStream<?> body;
        private boolean ended;

        AbortOnEarlyClose(software.amazon.awssdk.core.ResponseInputStream<?> body) {
            super(body);
            this.body = body;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                body.abort();
            }
            super.close();
        }
    }

    private static String etag(String raw) {
        return raw == null ? "" : raw.replace("\"", "");
    }
}
