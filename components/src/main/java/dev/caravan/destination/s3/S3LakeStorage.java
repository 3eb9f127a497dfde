package dev.caravan.destination.s3;

import dev.caravan.destination.parquet.LakeStorage;
import dev.caravan.destination.parquet.StagedFile;
import dev.caravan.destination.parquet.StagingScope;
import dev.caravan.spi.CaravanException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.io.InputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A lake under a prefix of an S3 bucket. A staged file is a multipart upload at its final key: invisible until
 * CompleteMultipartUpload ({@link StagedFile#publish()}), dropped by AbortMultipartUpload. Uploads a crashed job left
 * are found by listing the bucket's multipart uploads under the scope's key prefixes. S3 failures are reported as
 * {@link CaravanException}s naming cause and fix ({@link S3Errors}). Closing it closes the S3 client.
 */
public final class S3LakeStorage implements LakeStorage {
    private static final Logger LOG = LoggerFactory.getLogger(S3LakeStorage.class);
    /** Size of an uploaded part (an open file holds up to 5 part buffers): at least 5 MiB (S3's minimum); 80 GB per file. */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client client;
    private final S3LakeConfig config;
    private final int partBytes;
    private ExecutorService uploads;
    /** Part buffers of finished uploads, for the next parts: what two files uploading side by side hold. */
    private static final int MAX_FREE_PART_BUFFERS = 2 * (S3StagedFile.PARTS_IN_FLIGHT + 1);
    private final ArrayDeque<byte[]> freePartBuffers = new ArrayDeque<>();
    private int partBuffersAllocated;

    public S3LakeStorage(S3Client client, S3LakeConfig config) {
        this(client, config, PART_BYTES);
    }

    S3LakeStorage(S3Client client, S3LakeConfig config, int partBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
        this.partBytes = partBytes;
    }

    S3Client client() {
        return client;
    }

    String bucket() {
        return config.bucket();
    }

    /** The object key of a lake key: the bucket prefix + the key. */
    String objectKey(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("//")) {
            throw new IllegalArgumentException("key '" + key + "' does not name a file under the lake root");
        }
        return config.prefix() + key;
    }

    /**
     * A part buffer ({@link #partBytes} long): one a file of this storage gave back, else a new one. A stream's files
     * come one after the other (or a few side by side), so its part buffers are allocated once per stream, not per file:
     * they live as long as a file's upload, long enough to be promoted, and new ones per file filled the old generation.
     */
    synchronized byte[] partBuffer() {
        byte[] reused = freePartBuffers.poll();
        if (reused != null) {
            return reused;
        }
        partBuffersAllocated++;
        return new byte[partBytes];
    }

    /** How many part buffers this storage allocated. */
    synchronized int partBuffersAllocated() {
        return partBuffersAllocated;
    }

    /** Gives back a part buffer no upload reads any more; beyond what a few files in flight hold, it is left to the collector. */
    synchronized void giveBack(byte[] buffer) {
        if (buffer != null && buffer.length == partBytes && freePartBuffers.size() < MAX_FREE_PART_BUFFERS) {
            freePartBuffers.add(buffer);
        }
    }

    /** The threads that send parts while the writer encodes the next ones (one writer per storage). */
    synchronized ExecutorService uploads() {
        if (uploads == null) {
            // parts of a file upload side by side: over a real network a part's round trip, not bandwidth, bounds one upload
            AtomicInteger threads = new AtomicInteger();
            uploads = Executors.newFixedThreadPool(S3StagedFile.PARTS_IN_FLIGHT, task -> {
                Thread thread = new Thread(task, "caravan-s3-upload-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return uploads;
    }

    @Override
    public StagedFile stage(StagingScope scope, String finalKey) {
        return new S3StagedFile(this, finalKey);
    }

    @Override
    public void discardStaged(StagingScope scope) {
        for (String prefix : scope.keyPrefixes()) {
            try {
                for (MultipartUpload upload : client.listMultipartUploadsPaginator(b -> b.bucket(bucket()).prefix(objectKey(prefix))).uploads()) {
                    String key = upload.key().substring(config.prefix().length());
                    if (scope.ownsKey().test(key)) {
                        client.abortMultipartUpload(b -> b.bucket(bucket()).key(upload.key()).uploadId(upload.uploadId()));
                        LOG.info("Aborted the multipart upload of {} that an earlier job left unfinished", describe(key));
                    }
                }
            } catch (S3Exception e) {
                if (e.statusCode() != 501) {
                    throw failure("list the unfinished uploads under", e);
                }
                LOG.warn("{} cannot list multipart uploads (NotImplemented): unfinished uploads of failed jobs are not aborted by Caravan;"
                        + " add a lifecycle rule that aborts incomplete multipart uploads", config.location());
            } catch (SdkException e) {
                throw failure("list the unfinished uploads under", e);
            }
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            String objectPrefix = config.prefix() + prefix;
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(objectPrefix)).contents()) {
                keys.add(object.key().substring(config.prefix().length()));
            }
        } catch (SdkException e) {
            throw failure("list", e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        try {
            client.deleteObject(b -> b.bucket(bucket()).key(objectKey(key)));
        } catch (SdkException e) {
            throw failure("delete " + key + " in", e);
        }
    }

    /** A single PUT: S3 shows the whole old or the whole new object, never a mix. */
    @Override
    public void writeAtomically(String key, byte[] content) {
        try {
            client.putObject(b -> b.bucket(bucket()).key(objectKey(key)).contentType(contentType(key)), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("write " + key + " to", e);
        }
    }

    @Override
    public byte[] read(String key) throws IOException {
        try {
            return client.getObjectAsBytes(b -> b.bucket(bucket()).key(objectKey(key))).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new IOException(describe(key) + " does not exist", e);
        } catch (SdkException e) {
            throw failure("read " + key + " from", e);
        }
    }

    @Override
    public boolean exists(String key) {
        try {
            client.headObject(b -> b.bucket(bucket()).key(objectKey(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && (e.awsErrorDetails() == null || !"NoSuchBucket".equals(e.awsErrorDetails().errorCode()))) {
                return false;
            }
            throw failure("look up " + key + " in", e);
        } catch (SdkException e) {
            throw failure("look up " + key + " in", e);
        }
    }

    @Override
    public InputFile openInput(String key) throws IOException {
        String objectKey = objectKey(key);
        long length;
        try {
            length = client.headObject(b -> b.bucket(bucket()).key(objectKey)).contentLength();
        } catch (NoSuchKeyException e) {
            throw new IOException(describe(key) + " does not exist", e);
        } catch (SdkException e) {
            throw failure("open " + key + " in", e);
        }
        return new S3InputFile(this, objectKey, length);
    }

    @Override
    public String describe(String key) {
        return "s3://" + bucket() + "/" + config.prefix() + key;
    }

    @Override
    public synchronized void close() {
        if (uploads != null) {
            uploads.shutdownNow();
            uploads = null;
        }
        client.close();
    }

    CaravanException failure(String action, SdkException e) {
        return S3Errors.of(action, config, e);
    }

    private static String contentType(String key) {
        return key.endsWith(".json") ? "application/json" : "application/octet-stream";
    }
}
