package dev.caravan.destination.s3;

import dev.caravan.destination.parquet.StagedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
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
 * upload threads while the writer fills another buffer (at most {@value #PARTS_IN_FLIGHT} parts in flight: memory is up
 * to five part buffers per open file). A buffer is sent as is, not copied, and can be re-sent on a retry. On close the
 * stream sends the rest but never completes the upload: only {@link #publish()} does, so the footer
 * {@code ParquetWriter.close()} always writes cannot publish a failed job's file. {@link #discard()} aborts the upload; the stream then refuses writes and
 * sends nothing on close.
 */
final class S3StagedFile implements StagedFile, OutputFile {
    private static final Logger LOG = LoggerFactory.getLogger(S3StagedFile.class);
    private static final int MAX_PARTS = 10_000;
    /** Parts of one file uploading at once (each holds a part buffer): a 32 MB row group is handed over without waiting. */
    static final int PARTS_IN_FLIGHT = 4;

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
        stream = new PartStream();
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
        /** Parts being uploaded, oldest first; their buffers go back to the storage once they are through. */
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        private byte[] buffer;
        private int count;
        private int partsSent;
        private long position;
        private boolean closed;

        PartStream() {
            this.buffer = storage.partBuffer();
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

        /**
         * Sends what is buffered as the last part and waits for every part, unless the file was discarded: then the
         * footer is dropped.
         */
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
                while (!inFlight.isEmpty()) {
                    awaitOldest();
                }
                if (count > 0 || parts.isEmpty()) {
                    parts.add(upload(++partsSent, buffer, count));
                }
            } finally {
                // the current buffer was never sent or went as the last part, on this thread: nothing reads it any more
                storage.giveBack(buffer);
                buffer = null;
            }
        }

        /** Waits for the parts in flight (their errors are not reported any more) and frees the buffers. */
        void dropBuffers() {
            for (InFlight part : inFlight) {
                part.result().cancel(true);
            }
            for (InFlight part : inFlight) {
                try {
                    part.result().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | CancellationException e) {
                    // the upload is being aborted anyway
                }
            }
            // not given back: a cancelled upload may still be reading its buffer (a discarded file is rare)
            inFlight.clear();
            buffer = null;
        }

        private void writable() throws IOException {
            if (discarded || closed) {
                throw new IOException("the upload of " + getPath() + " was " + (discarded ? "discarded" : "closed"));
            }
        }

        /**
         * Hands the full buffer to the upload threads and continues in a free one. A row group arrives as one burst of
         * several parts: up to {@link #PARTS_IN_FLIGHT} of them upload while the writer encodes on; beyond that it waits
         * for the oldest.
         */
        private void sendBuffer() throws IOException {
            if (inFlight.size() >= PARTS_IN_FLIGHT) {
                awaitOldest();
            }
            int number = ++partsSent;
            byte[] bytes = buffer;
            int length = count;
            inFlight.add(new InFlight(storage.uploads().submit(() -> upload(number, bytes, length)), bytes));
            buffer = storage.partBuffer();
            count = 0;
        }

        /** Waits for the oldest part in flight: parts are recorded in their order. */
        private void awaitOldest() throws IOException {
            InFlight oldest = inFlight.poll();
            try {
                parts.add(oldest.result().get());
                storage.giveBack(oldest.buffer());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while uploading " + getPath());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw new IOException(io.getMessage(), io);
                }
                throw new IOException("uploading a part of " + getPath() + " failed: " + e.getCause(), e.getCause());
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

    /** A part being uploaded and the buffer it is sent from. */
    private record InFlight(Future<CompletedPart> result, byte[] buffer) {
    }
}
