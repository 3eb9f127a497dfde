package dev.caravan.destination.parquet;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Opens parquet-java writers and readers with a plain configuration, our own codec factory, and a builder that never
 * asks for a Hadoop {@code Configuration}. Writing needs no Hadoop class at runtime; reading does need
 * {@code hadoop-client-api} (only it, not hadoop-client-runtime): {@code ParquetReadOptions.Builder}'s constructor
 * always builds Hadoop's codec factory, even when another is set afterwards.
 */
public final class ParquetFiles {
    private ParquetFiles() {
    }

    /** A record writer of {@code support}'s rows (the stream's own files are written by {@link RowFileWriter}). */
    static ParquetWriter<Object[]> open(OutputFile file, WriteSupport<Object[]> support, ParquetFormat format) throws IOException {
        Builder builder = new Builder(file, support)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new LakeCodecFactory())
                .withCompressionCodec(format.codec())
                .withRowGroupSize(format.rowGroupBytes())
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                // unique raw ids never fit a dictionary: skip the attempt and its fallback; nobody filters on their min/max
                .withDictionaryEncoding(RowEncoder.RAW_ID, false)
                .withStatisticsEnabled(RowEncoder.RAW_ID, false)
                // nor do those of the _airbyte_meta JSON, compared byte by byte on every row
                .withStatisticsEnabled(RowEncoder.META, false)
                // page-level size histograms: optional for readers, and a cost on every value
                .withSizeStatisticsEnabled(false);
        return builder.build();
    }

    /**
     * The columns of a written file with data pages not encoded by a dictionary, in a row group of at least half the rows
     * of its largest one: their dictionary overflowed, or did not make the first page smaller, or none was tried. A much
     * smaller row group (the last of a file may hold a few rows) says nothing about the next files: a first page of few
     * values is rarely smaller with a dictionary. Trying a dictionary again costs a hash lookup per value until it
     * overflows, then the re-encoding of what it held.
     */
    static Set<String> columnsThatFellBackToPlain(ParquetMetadata footer) {
        Set<String> columns = new HashSet<>();
        long largest = footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).max().orElse(0);
        for (BlockMetaData block : footer.getBlocks()) {
            if (block.getRowCount() * 2 < largest) {
                continue;
            }
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                EncodingStats stats = chunk.getEncodingStats();
                if (stats != null && stats.hasNonDictionaryEncodedPages()) {
                    columns.add(chunk.getPath().toDotString());
                }
            }
        }
        return columns;
    }

    /** A reader of {@code file}; close it to release the file and its codecs. */
    public static ParquetFileReader read(InputFile file) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new LakeCodecFactory())
                .build();
        return ParquetFileReader.open(file, options);
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final WriteSupport<Object[]> support;

        Builder(OutputFile file, WriteSupport<Object[]> support) {
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
