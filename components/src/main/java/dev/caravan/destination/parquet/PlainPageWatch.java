package dev.caravan.destination.parquet;

import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;

/**
 * A column's page writer that notes whether a data page went out without the column's dictionary: the dictionary
 * overflowed and the column fell back to plain values. Passes every call on unchanged.
 */
final class PlainPageWatch implements PageWriter {
    private final String column;
    private final PageWriter pages;
    private boolean plainPages;

    PlainPageWatch(String column, PageWriter pages) {
        this.column = column;
        this.pages = pages;
    }

    /** The column's path (dotted). */
    String column() {
        return column;
    }

    /** Whether a data page was written with values not encoded by the dictionary. */
    boolean plainPages() {
        return plainPages;
    }

    private void saw(Encoding values) {
        if (!values.usesDictionary()) {
            plainPages = true;
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public void writePage(BytesInput bytes, int valueCount, Statistics<?> statistics, Encoding rl, Encoding dl, Encoding values) throws IOException {
        saw(values);
        pages.writePage(bytes, valueCount, statistics, rl, dl, values);
    }

    @Override
    public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> statistics, Encoding rl, Encoding dl, Encoding values)
            throws IOException {
        saw(values);
        pages.writePage(bytes, valueCount, rowCount, statistics, rl, dl, values);
    }

    @Override
    public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> statistics, SizeStatistics sizes, Encoding rl, Encoding dl,
                          Encoding values) throws IOException {
        saw(values);
        pages.writePage(bytes, valueCount, rowCount, statistics, sizes, rl, dl, values);
    }

    @Override
    public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> statistics, SizeStatistics sizes,
                          GeospatialStatistics geospatial, Encoding rl, Encoding dl, Encoding values) throws IOException {
        saw(values);
        pages.writePage(bytes, valueCount, rowCount, statistics, sizes, geospatial, rl, dl, values);
    }

    @Override
    public void writePageV2(int rowCount, int nullCount, int valueCount, BytesInput repetitionLevels, BytesInput definitionLevels,
                            Encoding dataEncoding, BytesInput data, Statistics<?> statistics) throws IOException {
        saw(dataEncoding);
        pages.writePageV2(rowCount, nullCount, valueCount, repetitionLevels, definitionLevels, dataEncoding, data, statistics);
    }

    @Override
    public void writePageV2(int rowCount, int nullCount, int valueCount, BytesInput repetitionLevels, BytesInput definitionLevels,
                            Encoding dataEncoding, BytesInput data, Statistics<?> statistics, SizeStatistics sizes) throws IOException {
        saw(dataEncoding);
        pages.writePageV2(rowCount, nullCount, valueCount, repetitionLevels, definitionLevels, dataEncoding, data, statistics, sizes);
    }

    @Override
    public void writePageV2(int rowCount, int nullCount, int valueCount, BytesInput repetitionLevels, BytesInput definitionLevels,
                            Encoding dataEncoding, BytesInput data, Statistics<?> statistics, SizeStatistics sizes,
                            GeospatialStatistics geospatial) throws IOException {
        saw(dataEncoding);
        pages.writePageV2(rowCount, nullCount, valueCount, repetitionLevels, definitionLevels, dataEncoding, data, statistics, sizes, geospatial);
    }

    @Override
    public long getMemSize() {
        return pages.getMemSize();
    }

    @Override
    public long allocatedSize() {
        return pages.allocatedSize();
    }

    @Override
    public void writeDictionaryPage(DictionaryPage dictionaryPage) throws IOException {
        pages.writeDictionaryPage(dictionaryPage);
    }

    @Override
    public String memUsageString(String prefix) {
        return pages.memUsageString(prefix);
    }

    @Override
    public void close() {
        pages.close();
    }
}
