package dev.caravan.destination.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compression without Hadoop: parquet's own {@code CodecFactory} is built on Hadoop codecs and fails
 * at runtime without them, even for UNCOMPRESSED. One instance per file, because {@code ParquetWriter.close()}
 * and {@code ParquetFileReader.close()} release their factory. Decompressors return fresh arrays (pages outlive
 * the call).
 *
 * <p>Like parquet's factory, a compressor reuses its output buffer: the returned {@link BytesInput} is valid
 * until the next {@code compress} call, which is how parquet's page writers consume it. It reuses its input buffer too
 * (a page's parts copied into one array), so compressing a page allocates nothing once the buffers have grown.
 */
final class LakeCodecFactory implements CompressionCodecFactory {
    static final int ZSTD_LEVEL = 3;

    private Compressor compressor;

    static boolean supports(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY, ZSTD, GZIP, UNCOMPRESSED -> true;
            default -> false;
        };
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (compressor == null || compressor.getCodecName() != codec) {
            release();
            compressor = switch (codec) {
                case SNAPPY -> new SnappyCompressor();
                case ZSTD -> new ZstdCompressor();
                case GZIP -> new GzipCompressor();
                case UNCOMPRESSED -> new NoCompressor();
                default -> throw new IllegalArgumentException("unsupported Parquet compression " + codec);
            };
        }
        return compressor;
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY -> (Decompressor) (in, out) -> Snappy.uncompress(in, 0, in.length, out, 0);
            case ZSTD -> (Decompressor) LakeCodecFactory::unzstd;
            case GZIP -> (Decompressor) LakeCodecFactory::gunzip;
            case UNCOMPRESSED -> (Decompressor) (in, out) -> System.arraycopy(in, 0, out, 0, out.length);
            default -> throw new IllegalArgumentException("unsupported Parquet compression " + codec);
        };
    }

    private static void unzstd(byte[] in, byte[] out) throws IOException {
        long size = Zstd.decompressByteArray(out, 0, out.length, in, 0, in.length);
        if (Zstd.isError(size) || size != out.length) {
            throw new IOException("corrupt zstd page: " + (Zstd.isError(size) ? Zstd.getErrorName(size) : size + " bytes instead of " + out.length));
        }
    }

    private static void gunzip(byte[] in, byte[] out) throws IOException {
        try (InputStream gzip = new GZIPInputStream(new java.io.ByteArrayInputStream(in), 64 * 1024)) {
            int read = gzip.readNBytes(out, 0, out.length);
            if (read != out.length) {
                throw new IOException("gzip page holds " + read + " bytes, its header says " + out.length);
            }
        }
    }

    /** Decompresses one whole page from {@code in} into {@code out}, which has exactly the uncompressed size. */
    @FunctionalInterface
    private interface Decompressor extends BytesInputDecompressor {
        void decompress(byte[] in, byte[] out) throws IOException;

        @Override
        default BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            byte[] out = new byte[uncompressedSize];
            decompress(bytes.toByteArray(), out);
            return BytesInput.from(out);
        }

        @Override
        default void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
            byte[] in = new byte[compressedSize];
            input.duplicate().get(in);
            byte[] out = new byte[uncompressedSize];
            decompress(in, out);
            output.put(out);
        }

        @Override
        default void release() {
        }
    }

    @Override
    public void release() {
        if (compressor != null) {
            compressor.release();
            compressor = null;
        }
    }

    private abstract static class Compressor implements BytesInputCompressor {
        byte[] out = new byte[64 * 1024];
        private final PageBytes in = new PageBytes();

        /** The page's bytes in one array, reused from page to page (its length: {@link PageBytes#length}). */
        PageBytes inputOf(BytesInput bytes) throws IOException {
            in.reset();
            bytes.writeAllTo(in);
            return in;
        }

        byte[] outputOf(int capacity) {
            if (out.length < capacity) {
                out = new byte[Math.max(capacity, out.length * 2)];
            }
            return out;
        }

        @Override
        public void release() {
        }
    }

    /** A byte array stream whose array is read in place. */
    private static final class PageBytes extends ByteArrayOutputStream {
        PageBytes() {
            super(64 * 1024);
        }

        byte[] array() {
            return buf;
        }

        int length() {
            return count;
        }
    }

    private static final class NoCompressor extends Compressor {
        @Override
        public BytesInput compress(BytesInput bytes) {
            return bytes;
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.UNCOMPRESSED;
        }
    }

    private static final class SnappyCompressor extends Compressor {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            PageBytes in = inputOf(bytes);
            byte[] target = outputOf(Snappy.maxCompressedLength(in.length()));
            int length = Snappy.compress(in.array(), 0, in.length(), target, 0);
            return BytesInput.from(target, 0, length);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.SNAPPY;
        }
    }

    private static final class ZstdCompressor extends Compressor {
        private final ZstdCompressCtx context = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            PageBytes in = inputOf(bytes);
            byte[] target = outputOf((int) Zstd.compressBound(in.length()));
            int length = context.compressByteArray(target, 0, target.length, in.array(), 0, in.length());
            return BytesInput.from(target, 0, length);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.ZSTD;
        }

        @Override
        public void release() {
            context.close();
        }
    }

    private static final class GzipCompressor extends Compressor {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            buffer.reset();
            try (GZIPOutputStream gzip = new GZIPOutputStream(buffer, 64 * 1024)) {
                bytes.writeAllTo(gzip);
            }
            return BytesInput.from(buffer);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.GZIP;
        }
    }
}
