package dev.caravan.destination.s3;

import dev.caravan.destination.parquet.StagedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A multipart upload at the file's final key. The stream sends a part each time its buffer fills, on the storage's
 * upload thread while the writer fills a second buffer (at most one part in flight: memory is two part buffers per
 * open file). A buffer is sent as is, not copied, and can be re-sent on a retry. On close the stream sends the rest
 * but never completes the upload: only {@link #publish()} does, so the footer {@code ParquetWriter.close()} always
 * writes cannot publish a failed job's file. {@link #discard()} aborts the upload; the stream then refuses writes and
 * sends nothing on close.
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
            stream.dropBuffers();
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

    /** Buffers one part; {@code flush()} sends nothing, since parts other than the last must be at least 5 MiB. */
    private final class PartStream extends PositionOutputStream {
        private final int partBytes;
        private byte[] buffer;
        private byte[] spare;
        private int count;
        private long position;
        private boolean closed;
        private Future<CompletedPart> inFlight;
        private byte[] inFlightBuffer;

        PartStream(int partBytes) {
            this.partBytes = partBytes;
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
                sendBuffer();
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
                    sendBuffer();
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

        /** Sends what is buffered as the last part and waits for it, unless the file was discarded: then the footer is dropped. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (discarded) {
                dropBuffers();
                return;
            }
            try {
                awaitInFlight();
                if (count > 0 || parts.isEmpty()) {
                    parts.add(upload(parts.size() + 1, buffer, count));
                }
            } finally {
                buffer = null;
                spare = null;
            }
        }

        /** Waits for the part in flight (its errors are not reported any more) and frees the buffers. */
        void dropBuffers() {
            if (inFlight != null) {
                inFlight.cancel(true);
                try {
                    inFlight.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | CancellationException e) {
                    // the upload is being aborted anyway
                }
                inFlight = null;
            }
            buffer = null;
            spare = null;
            inFlightBuffer = null;
        }

        private void writable() throws IOException {
            if (discarded || closed) {
                throw new IOException("the upload of " + getPath() + " was " + (discarded ? "discarded" : "closed"));
            }
        }

        /** Hands the full buffer to the upload thread once the previous part is through, and continues in the other buffer. */
        private void sendBuffer() throws IOException {
            awaitInFlight();
            int number = parts.size() + 1;
            byte[] bytes = buffer;
            int length = count;
            inFlightBuffer = bytes;
            inFlight = storage.uploads().submit(() -> upload(number, bytes, length));
            buffer = spare != null ? spare : new byte[partBytes];
            spare = null;
            count = 0;
        }

        private void awaitInFlight() throws IOException {
            if (inFlight == null) {
                return;
            }
            try {
                parts.add(inFlight.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while uploading " + getPath());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw new IOException(io.getMessage(), io);
                }
                throw new IOException("uploading a part of " + getPath() + " failed: " + e.getCause(), e.getCause());
            } finally {
                inFlight = null;
                spare = inFlightBuffer;
                inFlightBuffer = null;
            }
        }

        private CompletedPart upload(int number, byte[] bytes, int length) throws IOException {
            if (discarded) {
                throw new IOException("the upload of " + getPath() + " was discarded");
            }
            if (number > MAX_PARTS) {
                throw new IOException(getPath() + " would need more than " + MAX_PARTS + " parts; lower file_size_mb");
            }
            try {
                String eTag = storage.client().uploadPart(b -> b.bucket(storage.bucket()).key(objectKey).uploadId(uploadId)
                                .partNumber(number).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream"))
                        .eTag();
                return CompletedPart.builder().partNumber(number).eTag(eTag).build();
            } catch (SdkException e) {
                var failure = storage.failure("upload part " + number + " of " + finalKey + " to", e);
                throw new IOException(failure.getMessage(), failure);
            }
        }
    }
}
