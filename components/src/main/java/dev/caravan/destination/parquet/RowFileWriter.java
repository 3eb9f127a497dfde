package dev.caravan.destination.parquet;

import dev.caravan.spi.FieldChange;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.BinaryStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes one Parquet file of a stream column by column. Rows go straight to parquet-java's column writers: the schema
 * is flat, so there is no record shredding (no per-field start/end calls, no tracking of fields written). The columns
 * that hold one value per writer ({@link RowEncoder#constantColumns}) are written once per row group, as a one-entry
 * dictionary and one data page holding a single run of its index, instead of once per row; readers see the same
 * PLAIN_DICTIONARY encoding parquet-java's own writer produces for a column of one value. {@code _airbyte_meta} is
 * written that way too while every row of the row group has no changes (nearly always); the first row with changes
 * starts its column writer, which then takes the earlier rows' value and every later row's. The other columns get
 * parquet-java's encodings, statistics and page/row-group sizing with the settings of {@link #properties}. Not
 * thread-safe.
 */
final class RowFileWriter implements Closeable {
    /** Parquet-java's default: how far a row group may be padded to align with the file system's blocks. */
    private static final int MAX_PADDING_BYTES = ParquetWriter.MAX_PADDING_SIZE_DEFAULT;

    private final RowEncoder encoder;
    /** Columns not to try a dictionary for: the stream's at open, then those whose dictionary overflowed in a row group of this file. */
    private final Set<String> plainColumns;
    private final PageBufferPool buffers;
    private ParquetProperties properties;
    /** The open row group's columns that try a dictionary, watched for falling back to plain. */
    private final List<PlainPageWatch> dictionaryColumns = new ArrayList<>();
    private final LakeCodecFactory codecs = new LakeCodecFactory();
    private final BytesInputCompressor compressor;
    private final ParquetFileWriter file;
    private final long rowGroupBytes;
    /** The file's columns in schema order: runs of columns written row by row, constant columns, _airbyte_meta. */
    private final List<Segment> segments = new ArrayList<>();
    /** The schema of the columns written row by row. */
    private final MessageType encodedSchema;
    private final MessageType metaSchema;
    private final Binary metaWithoutChanges;
    private ColumnWriteStore columns;
    private final List<ColumnChunkPageWriteStore> pageStores = new ArrayList<>();
    private ColumnWriter rawIdColumn;
    private ColumnWriter[] dataColumns;
    /** The open row group's _airbyte_meta writer, once a row of it had changes. */
    private ColumnWriteStore metaStore;
    private ColumnChunkPageWriteStore metaPages;
    private ColumnWriter metaColumn;
    private long rowsInGroup;
    private long nextSizeCheck;
    private boolean closed;

    private enum Kind { ENCODED, CONSTANT, META }

    /** A run of columns encoded row by row, one constant column, or _airbyte_meta. */
    private record Segment(Kind kind, MessageType encoded, ColumnDescriptor column, long value) {
    }

    /** Opens {@code output} (which must not exist) for the rows of {@code encoder}'s stream; pages are buffered in {@code buffers}. */
    RowFileWriter(OutputFile output, RowEncoder encoder, ParquetFormat format, Set<String> plainColumns, PageBufferPool buffers) throws IOException {
        this.encoder = encoder;
        this.plainColumns = new HashSet<>(plainColumns);
        this.buffers = buffers;
        this.properties = properties(plainColumns, buffers);
        this.compressor = codecs.getCompressor(format.codec());
        this.rowGroupBytes = format.rowGroupBytes();
        MessageType schema = encoder.messageType();
        List<Type> encoded = new ArrayList<>();
        List<Type> run = new ArrayList<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Type field = schema.getType(i);
            ColumnDescriptor column = schema.getColumnDescription(new String[] {field.getName()});
            Long constant = encoder.constantColumns().get(field.getName());
            if (constant != null) {
                addRun(run);
                run = new ArrayList<>();
                segments.add(new Segment(Kind.CONSTANT, null, column, constant));
            } else if (field.getName().equals(RowEncoder.META)) {
                addRun(run);
                run = new ArrayList<>();
                segments.add(new Segment(Kind.META, null, column, 0));
            } else {
                run.add(field);
                encoded.add(field);
            }
        }
        addRun(run);
        this.encodedSchema = new MessageType(schema.getName(), encoded);
        this.metaSchema = new MessageType(schema.getName(), schema.getType(RowEncoder.META));
        this.metaWithoutChanges = encoder.metaWithoutChanges();
        try {
            this.file = new ParquetFileWriter(output, schema, ParquetFileWriter.Mode.CREATE, rowGroupBytes, MAX_PADDING_BYTES, null, properties);
            file.start();
        } catch (IOException | RuntimeException e) {
            codecs.release();
            throw e;
        }
        startRowGroup();
    }

    /**
     * parquet-java's defaults (1 MiB pages, dictionaries up to 1 MiB, page checksums, column indexes) with: no dictionary
     * for raw ids (unique: they never fit one) nor for {@code plainColumns} (they overflowed one before), no min/max of
     * raw ids and {@code _airbyte_meta} (nobody filters on them, and comparing them costs on every row), no page-level
     * size histograms (optional for readers, a cost on every value); buffers from {@code buffers}.
     */
    static ParquetProperties properties(Set<String> plainColumns, PageBufferPool buffers) {
        ParquetProperties.Builder builder = ParquetProperties.builder()
                .withAllocator(buffers)
                .withDictionaryEncoding(RowEncoder.RAW_ID, false)
                .withStatisticsEnabled(RowEncoder.RAW_ID, false)
                .withStatisticsEnabled(RowEncoder.META, false)
                .withSizeStatisticsEnabled(false);
        for (String column : plainColumns) {
            builder.withDictionaryEncoding(column, false);
        }
        return builder.build();
    }

    private void addRun(List<Type> run) {
        if (!run.isEmpty()) {
            segments.add(new Segment(Kind.ENCODED, new MessageType(encoder.messageType().getName(), run), null, 0));
        }
    }

    /** Writes one row; {@code sourceChanges} are the changes the source made to it. */
    void write(Object[] row, List<FieldChange> sourceChanges) throws IOException {
        Binary meta = encoder.encode(row, sourceChanges, rawIdColumn, dataColumns);
        if (metaColumn == null && meta != metaWithoutChanges) {
            startMetaColumn();
        }
        if (metaColumn != null) {
            metaColumn.write(meta, 0, 0);
            metaStore.endRecord();
        }
        columns.endRecord();
        rowsInGroup++;
        if (rowsInGroup >= nextSizeCheck) {
            checkRowGroupSize();
        }
    }

    /** Bytes written to the file so far plus those buffered for the open row group. */
    long dataSize() throws IOException {
        return file.getPos() + (columns == null ? 0 : bufferedBytes());
    }

    /** Bytes buffered for the open row group. */
    private long bufferedBytes() {
        return columns.getBufferedSize() + (metaStore == null ? 0 : metaStore.getBufferedSize());
    }

    /** The footer of the closed file. */
    ParquetMetadata footer() {
        return file.getFooter();
    }

    /** Writes the open row group and the footer, then closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushRowGroup();
            file.end(Map.of(ParquetWriter.OBJECT_MODEL_NAME_PROP, "caravan"));
        } catch (IOException | RuntimeException e) {
            abortFile();
            throw e;
        } finally {
            releaseRowGroup();
            codecs.release();
        }
    }

    /** Closes the file without writing what is buffered or a footer: the file is incomplete (discard it). */
    void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            abortFile();
        } finally {
            releaseRowGroup();
            codecs.release();
        }
    }

    /** Marks the file writer aborted (it then leaves the output stream to its owner, the staged file) and closes it. */
    private void abortFile() {
        file.abort();
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ColumnChunkPageWriteStore newPageStore(MessageType schema) {
        return new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(), properties.getColumnIndexTruncateLength(),
                properties.getPageWriteChecksumEnabled());
    }

    /** The first row of the row group with changes: its _airbyte_meta gets a column writer, which takes the earlier rows' value. */
    private void startMetaColumn() {
        metaPages = newPageStore(metaSchema);
        metaStore = properties.newColumnWriteStore(metaSchema, metaPages);
        metaColumn = metaStore.getColumnWriter(metaSchema.getColumns().get(0));
        for (long i = 0; i < rowsInGroup; i++) {
            metaColumn.write(metaWithoutChanges, 0, 0);
            metaStore.endRecord();
        }
    }

    private void startRowGroup() {
        Map<ColumnDescriptor, PageWriter> pageWriters = new HashMap<>();
        for (Segment segment : segments) {
            if (segment.kind() == Kind.ENCODED) {
                ColumnChunkPageWriteStore store = newPageStore(segment.encoded());
                pageStores.add(store);
                for (ColumnDescriptor column : segment.encoded().getColumns()) {
                    PageWriter pages = store.getPageWriter(column);
                    if (properties.isDictionaryEnabled(column)) {
                        PlainPageWatch watch = new PlainPageWatch(String.join(".", column.getPath()), pages);
                        dictionaryColumns.add(watch);
                        pages = watch;
                    }
                    pageWriters.put(column, pages);
                }
            }
        }
        columns = properties.newColumnWriteStore(encodedSchema, pageWriters::get);
        List<ColumnDescriptor> descriptors = encodedSchema.getColumns();
        rawIdColumn = columns.getColumnWriter(descriptors.get(0));
        dataColumns = new ColumnWriter[descriptors.size() - 1];
        for (int i = 0; i < dataColumns.length; i++) {
            dataColumns[i] = columns.getColumnWriter(descriptors.get(i + 1));
        }
        nextSizeCheck = properties.getMinRowCountForPageSizeCheck();
    }

    /**
     * Like parquet-java's record writer: flushes the row group once its buffered size is within two rows of the limit,
     * and otherwise looks again halfway to where the limit would be reached at the current row size (at most
     * {@code maxRowCountForPageSizeCheck} rows later).
     */
    private void checkRowGroupSize() throws IOException {
        long buffered = bufferedBytes();
        long rowSize = Math.max(1, buffered / rowsInGroup);
        long limit = Math.min(file.getNextRowGroupSize(), rowGroupBytes);
        if (buffered > limit - 2 * rowSize) {
            flushRowGroup();
            releaseRowGroup();
            startRowGroup();
        } else {
            nextSizeCheck = Math.min(Math.max(properties.getMinRowCountForPageSizeCheck(), (rowsInGroup + limit / rowSize) / 2),
                    rowsInGroup + properties.getMaxRowCountForPageSizeCheck());
        }
    }

    private void flushRowGroup() throws IOException {
        if (rowsInGroup == 0) {
            return;
        }
        file.startBlock(rowsInGroup);
        columns.flush();
        learnPlainColumns();
        if (metaStore != null) {
            metaStore.flush();
        }
        int store = 0;
        for (Segment segment : segments) {
            switch (segment.kind()) {
                case ENCODED -> pageStores.get(store++).flushToFileWriter(file);
                case CONSTANT -> {
                    LongStatistics statistics = (LongStatistics) Statistics.createStats(segment.column().getPrimitiveType());
                    statistics.updateStats(segment.value());
                    writeConstantColumn(segment.column(), ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, segment.value()).array(),
                            statistics);
                }
                case META -> {
                    if (metaPages != null) {
                        metaPages.flushToFileWriter(file);
                    } else {
                        BinaryStatistics statistics = (BinaryStatistics) Statistics.createStats(segment.column().getPrimitiveType());
                        statistics.updateStats(metaWithoutChanges);
                        byte[] value = metaWithoutChanges.getBytesUnsafe();
                        // PLAIN BYTE_ARRAY: the length (4 bytes, little-endian), then the bytes
                        writeConstantColumn(segment.column(), ByteBuffer.allocate(4 + value.length).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length)
                                .put(value).array(), statistics);
                    }
                }
            }
        }
        file.endBlock();
        rowsInGroup = 0;
    }

    /**
     * A column whose dictionary overflowed in this row group is written plain in the file's next ones too (as in the stream's
     * next files, {@link FileLane}): a dictionary tried and abandoned per row group cost up to a quarter of the writer's CPU.
     */
    private void learnPlainColumns() {
        boolean learned = false;
        for (PlainPageWatch watch : dictionaryColumns) {
            if (watch.plainPages()) {
                learned |= plainColumns.add(watch.column());
            }
        }
        if (learned) {
            properties = properties(plainColumns, buffers);
        }
    }

    private void releaseRowGroup() {
        dictionaryColumns.clear();
        if (columns != null) {
            columns.close();
            columns = null;
        }
        pageStores.forEach(ColumnChunkPageWriteStore::close);
        pageStores.clear();
        if (metaStore != null) {
            metaStore.close();
            metaPages.close();
            metaStore = null;
            metaPages = null;
            metaColumn = null;
        }
    }

    /**
     * A column chunk of {@code rowsInGroup} equal values: a dictionary page with the value ({@code plainValue}, PLAIN
     * encoded), then one data page of dictionary indexes in the RLE/bit-packing hybrid at bit width 0 (one index, 0)
     * as a single run.
     */
    private void writeConstantColumn(ColumnDescriptor column, byte[] plainValue, Statistics<?> statistics) throws IOException {
        int count = Math.toIntExact(rowsInGroup);
        int runHeader = Math.toIntExact(rowsInGroup << 1);
        ByteArrayOutputStream indexes = new ByteArrayOutputStream(8);
        indexes.write(0); // bit width
        BytesUtils.writeUnsignedVarInt(runHeader, indexes); // an RLE run (low bit 0) of count values; its value takes 0 bytes
        byte[] page = indexes.toByteArray();
        file.startColumn(column, rowsInGroup, compressor.getCodecName());
        file.writeDictionaryPage(new DictionaryPage(BytesInput.copy(compressor.compress(BytesInput.from(plainValue))), plainValue.length, 1,
                Encoding.PLAIN_DICTIONARY));
        file.writeDataPage(count, page.length, BytesInput.copy(compressor.compress(BytesInput.from(page))), statistics, rowsInGroup,
                Encoding.BIT_PACKED, Encoding.BIT_PACKED, Encoding.PLAIN_DICTIONARY);
        file.endColumn();
    }
}
