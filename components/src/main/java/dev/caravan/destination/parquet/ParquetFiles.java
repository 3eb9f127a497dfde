package dev.caravan.destination.parquet;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;

/**
 * Opens parquet-java writers that run without Hadoop on the classpath: a plain configuration, our own codec
 * factory, and a builder that never asks for a Hadoop {@code Configuration}.
 */
final class ParquetFiles {
    private ParquetFiles() {
    }

    static ParquetWriter<Object[]> open(OutputFile file, RowWriteSupport support, ParquetFormat format) throws IOException {
        return new Builder(file, support)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new LakeCodecFactory())
                .withCompressionCodec(format.codec())
                .withRowGroupSize(format.rowGroupBytes())
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                // random UUIDs never fit a dictionary: skip the attempt and its fallback; their min/max prune nothing
                .withDictionaryEncoding(RowWriteSupport.RAW_ID, false)
                .withStatisticsEnabled(RowWriteSupport.RAW_ID, false)
                // nor do those of the _airbyte_meta JSON, compared byte by byte on every row
                .withStatisticsEnabled(RowWriteSupport.META, false)
                .build();
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final RowWriteSupport support;

        Builder(OutputFile file, RowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return support;
        }
    }
}
