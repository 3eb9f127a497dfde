package dev.caravan.destination.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A file under the lake's tmp area, renamed into place on publish. Its stream is fsynced on close. It reports
 * no block size, so parquet adds no HDFS-style padding between row groups.
 */
final class LocalStagedFile implements StagedFile, OutputFile {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final LocalLakeStorage storage;
    private final String finalKey;
    private final Path staged;
    private final Path target;
    private ChannelStream stream;
    private boolean discarded;
    private boolean published;

    LocalStagedFile(LocalLakeStorage storage, String finalKey, Path staged, Path target) {
        this.storage = storage;
        this.finalKey = finalKey;
        this.staged = staged;
        this.target = target;
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
            throw new IOException("staged file " + staged + " can be created only once");
        }
        FileChannel channel = LocalLakeStorage.withParents(staged,
                () -> FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        stream = new ChannelStream(channel);
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
        return staged.toString();
    }

    @Override
    public synchronized long publish() throws IOException {
        if (discarded || published) {
            throw new IllegalStateException("staged file for " + finalKey + " was already " + (discarded ? "discarded" : "published"));
        }
        if (stream == null || stream.channel.isOpen()) {
            throw new IllegalStateException("close the parquet writer of " + finalKey + " before publishing it");
        }
        long size = Files.size(staged);
        storage.moveIntoPlace(staged, target);
        published = true;
        return size;
    }

    @Override
    public synchronized void discard() {
        if (published) {
            return;
        }
        discarded = true;
        try {
            if (stream != null) {
                stream.channel.close();
            }
            Files.deleteIfExists(staged);
        } catch (IOException e) {
            // best effort: the next job of this scope removes what is left (LakeStorage.discardStaged)
        }
        storage.pruneEmptyDirectories(staged.getParent());
    }

    /** A buffered stream over the file channel that counts its position and fsyncs on close. */
    private static final class ChannelStream extends PositionOutputStream {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        private long position;

        ChannelStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
            position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length >= BUFFER_BYTES) {
                drain();
                writeFully(ByteBuffer.wrap(bytes, offset, length));
            } else {
                if (length > buffer.remaining()) {
                    drain();
                }
                buffer.put(bytes, offset, length);
            }
            position += length;
        }

        @Override
        public void flush() throws IOException {
            drain();
        }

        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                try {
                    drain();
                    channel.force(true);
                } finally {
                    channel.close();
                }
            }
        }

        private void drain() throws IOException {
            buffer.flip();
            writeFully(buffer);
            buffer.clear();
        }

        private void writeFully(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }
}
