import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.xerial.snappy.Snappy;

/** What the floors share: one snappy Parquet file written by parquet-java without Hadoop, a value at a time. */
final class FloorParquet {
    private FloorParquet() {
    }

    /** A writer of {@code T} values into {@code out} (replaced), each written by {@code write} as one message of {@code schema}. */
    static <T> ParquetWriter<T> writer(Path out, MessageType schema, BiConsumer<RecordConsumer, T> write) throws IOException {
        return new Builder<>(out, schema, write).withConf(new PlainParquetConfiguration()).withCodecFactory(new SnappyOnly())
                .withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build();
    }

    private static final class Support<T> extends WriteSupport<T> {
        private final MessageType schema;
        private final BiConsumer<RecordConsumer, T> write;
        private RecordConsumer consumer;

        Support(MessageType schema, BiConsumer<RecordConsumer, T> write) {
            this.schema = schema;
            this.write = write;
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            consumer = recordConsumer;
        }

        @Override
        public void write(T value) {
            consumer.startMessage();
            write.accept(consumer, value);
            consumer.endMessage();
        }
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final MessageType schema;
        private final BiConsumer<RecordConsumer, T> write;

        Builder(Path file, MessageType schema, BiConsumer<RecordConsumer, T> write) {
            super(new LocalOutputFile(file));
            this.schema = schema;
            this.write = write;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(ParquetConfiguration conf) {
            return new Support<>(schema, write);
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new Support<>(schema, write);
        }
    }

    /** Snappy pages without Hadoop's codec classes (parquet's default factory needs them even to start) */
    private static final class SnappyOnly implements CompressionCodecFactory {
        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return new BytesInputCompressor() {
                private byte[] buffer = new byte[0];

                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    byte[] input = bytes.toByteArray();
                    int max = Snappy.maxCompressedLength(input.length);
                    if (buffer.length < max) {
                        buffer = new byte[max];
                    }
                    int length = Snappy.compress(input, 0, input.length, buffer, 0);
                    return BytesInput.from(buffer, 0, length);
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return CompressionCodecName.SNAPPY;
                }

                @Override
                public void release() {
                    buffer = new byte[0];
                }
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            throw new UnsupportedOperationException("write only");
        }

        @Override
        public void release() {
        }
    }
}
