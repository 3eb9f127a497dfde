package dev.caravan.destination.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object read by ranged GETs: a GET from the current position streams until the reader seeks elsewhere. Parquet
 * seeks to the footer, then reads each row group's column chunks in one sequential range, so a file costs a few
 * requests and never sits whole in memory.
 */
final class S3InputFile implements InputFile {
    /** A forward seek up to this far reads and drops bytes rather than starting a new request. */
    private static final long SKIP_LIMIT = 256 * 1024;

    private final S3LakeStorage storage;
    private final String objectKey;
    private final long length;

    S3InputFile(S3LakeStorage storage, String objectKey, long length) {
        this.storage = storage;
        this.objectKey = objectKey;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new RangeStream();
    }

    @Override
    public String toString() {
        return "s3://" + storage.bucket() + "/" + objectKey;
    }

    private final class RangeStream extends SeekableInputStream {
        private ResponseInputStream<GetObjectResponse> body;
        private long bodyPosition;
        private long position;

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void seek(long newPosition) throws IOException {
            if (newPosition < 0 || newPosition > length) {
                throw new EOFException("cannot seek to " + newPosition + " in " + S3InputFile.this + " of " + length + " bytes");
            }
            position = newPosition;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            if (count == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            InputStream in = positioned();
            int n = in.read(bytes, offset, (int) Math.min(count, length - position));
            if (n < 0) {
                throw new EOFException("unexpected end of " + S3InputFile.this + " at byte " + position);
            }
            position += n;
            bodyPosition += n;
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int offset, int count) throws IOException {
            int done = 0;
            while (done < count) {
                int n = read(bytes, offset + done, count - done);
                if (n < 0) {
                    throw new EOFException("reached the end of " + S3InputFile.this + " with " + (count - done) + " bytes still to read");
                }
                done += n;
            }
        }

        @Override
        public int read(ByteBuffer buffer) throws IOException {
            int count = buffer.remaining();
            if (buffer.hasArray()) {
                int n = read(buffer.array(), buffer.arrayOffset() + buffer.position(), count);
                if (n > 0) {
                    buffer.position(buffer.position() + n);
                }
                return n;
            }
            byte[] chunk = new byte[Math.min(count, 64 * 1024)];
            int n = read(chunk, 0, chunk.length);
            if (n > 0) {
                buffer.put(chunk, 0, n);
            }
            return n;
        }

        @Override
        public void readFully(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                if (read(buffer) < 0) {
                    throw new EOFException("reached the end of " + S3InputFile.this + " with " + buffer.remaining() + " bytes still to read");
                }
            }
        }

        @Override
        public void close() {
            dropBody();
        }

        /** The open body at the current position: continued, skipped forward, or a new ranged GET. */
        private InputStream positioned() throws IOException {
            if (body != null && position >= bodyPosition && position - bodyPosition <= SKIP_LIMIT) {
                long skip = position - bodyPosition;
                while (skip > 0) {
                    long skipped = body.skip(skip);
                    if (skipped <= 0) {
                        break;
                    }
                    skip -= skipped;
                    bodyPosition += skipped;
                }
                if (skip == 0) {
                    return body;
                }
            }
            dropBody();
            long from = position;
            try {
                body = storage.client().getObject(b -> b.bucket(storage.bucket()).key(objectKey).range("bytes=" + from + "-"));
            } catch (SdkException e) {
                var failure = storage.failure("read " + objectKey + " from", e);
                throw new IOException(failure.getMessage(), failure);
            }
            bodyPosition = from;
            return body;
        }

        private void dropBody() {
            if (body != null) {
                // abort: closing would drain the rest of the object to reuse the connection
                body.abort();
                try {
                    body.close();
                } catch (IOException e) {
                    // already aborted
                }
                body = null;
            }
        }
    }
}
