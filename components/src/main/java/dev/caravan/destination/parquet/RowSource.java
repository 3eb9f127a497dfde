package dev.caravan.destination.parquet;

import java.io.IOException;

/** A sequence of physical rows read once, in order: from a Parquet file, a spilled run or memory. */
interface RowSource extends AutoCloseable {

    /** The next row, or null at the end. */
    Object[] next() throws IOException;

    @Override
    void close() throws IOException;
}
