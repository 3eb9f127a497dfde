package dev.caravan.destination.s3;

import dev.caravan.destination.parquet.StagedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A multipart upload at the file's final key. The stream uploads a part each time its buffer fills (the buffer is
 * sent as is, not copied, and can be re-sent on a retry) and the rest on close, but never completes the upload:
 * only {@link #publish()} does, so the footer {@code ParquetWriter.close()} always writes cannot publish a failed
 * job's file. {@link #discard()} aborts the upload; the stream then refuses writes and uploads nothing on close.
 */
final class S3StagedFile implements StagedFile, OutputFile {
    private static final Logger LOG = LoggerFactory.getLogger(S3StagedFile.class);
    private static final int MAX_PARTS = 10_000;

    private final S3LakeStorage storage;
    private final String finalKey;
    private final String objectKey;
    private final List<CompletedPart> parts = new ArrayList<>();
    private String uploadId;
    private PartStream stream;
    private volatile boolean discarded;
    private boolean published;

    S3StagedFile(S3LakeStorage storage, String finalKey) {
        this.storage = storage;
        this.finalKey = finalKey;
        this.objectKey = storage.objectKey(finalKey);
    }

    @Override
    public String finalKey() {
        return finalKey;
    }

    @Override
    public OutputFile outputFile() {
        return this;
    }

    @Override
    public synchronized PositionOutputStream create(long blockSizeHint) throws IOException {
        if (stream != null || discarded || published) {
            throw new IOException("staged file " + getPath() + " can be created only once");
        }
        try {
            uploadId = storage.client().createMultipartUpload(b -> b.bucket(storage.bucket()).key(objectKey)
                    .contentType("application/vnd.apache.parquet")).uploadId();
        } catch (SdkException e) {
            var failure = storage.failure("start the upload of " + finalKey + " to", e);
            throw new IOException(failure.getMessage(), failure);
        }
        stream = new PartStream(storage.partBytes());
        return stream;
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return storage.describe(finalKey);
    }

    @Override
    public synchronized long publish() {
        if (discarded || published) {
            throw new IllegalStateException("staged file for " + finalKey + " was already " + (discarded ? "discarded" : "published"));
        }
        if (stream == null || !stream.closed) {
            throw new IllegalStateException("close the parquet writer of " + finalKey + " before publishing it");
        }
        try {
            storage.client().completeMultipartUpload(b -> b.bucket(storage.bucket()).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            throw storage.failure("publish " + finalKey + " in", e);
        }
        published = true;
        return stream.position;
    }

    @Override
    public synchronized void discard() {
        if (published || discarded) {
            return;
        }
        discarded = true;
        if (stream != null) {
            stream.buffer = null;
        }
        if (uploadId != null) {
            try {
                storage.client().abortMultipartUpload(b -> b.bucket(storage.bucket()).key(objectKey).uploadId(uploadId));
            } catch (SdkException e) {
                // the next job of this stream aborts what is left (LakeStorage.discardStaged)
                LOG.warn("Could not abort the upload of {} ({}); the next sync of the stream aborts it", getPath(), e.getMessage());
            }
        }
    }

    /** Buffers one part; {@code flush()} uploads nothing, since parts other than the last must be at least 5 MiB. */
    private final class PartStream extends PositionOutputStream {
        private byte[] buffer;
        private int count;
        private long position;
        private boolean closed;

        PartStream(int partBytes) {
            this.buffer = new byte[partBytes];
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            writable();
            if (count == buffer.length) {
                uploadPart();
            }
            buffer[count++] = (byte) b;
            position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writable();
            int done = 0;
            while (done < length) {
                if (count == buffer.length) {
                    uploadPart();
                }
                int n = Math.min(length - done, buffer.length - count);
                System.arraycopy(bytes, offset + done, buffer, count, n);
                count += n;
                done += n;
            }
            position += length;
        }

        @Override
        public void flush() {
        }

        /** Uploads what is buffered as the last part, unless the file was discarded: then the footer is dropped. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (discarded) {
                buffer = null;
                return;
            }
            if (count > 0 || parts.isEmpty()) {
                uploadPart();
            }
            buffer = null;
        }

        private void writable() throws IOException {
            if (discarded || closed) {
                throw new IOException("the upload of " + getPath() + " was " + (discarded ? "discarded" : "closed"));
            }
        }

        private void uploadPart() throws IOException {
            if (discarded) {
                throw new IOException("the upload of " + getPath() + " was discarded");
            }
            int number = parts.size() + 1;
            if (number > MAX_PARTS) {
                throw new IOException(getPath() + " would need more than " + MAX_PARTS + " parts; lower file_size_mb");
            }
            byte[] bytes = buffer;
            int length = count;
            try {
                String eTag = storage.client().uploadPart(b -> b.bucket(storage.bucket()).key(objectKey).uploadId(uploadId)
                                .partNumber(number).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream"))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            } catch (SdkException e) {
                var failure = storage.failure("upload part " + number + " of " + finalKey + " to", e);
                throw new IOException(failure.getMessage(), failure);
            }
            count = 0;
        }
    }
}
