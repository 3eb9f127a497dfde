package dev.caravan.source.file;

import java.io.Closeable;
import java.io.IOException;

/** The records of one file, streamed: each {@link #next} fills a {@link RawRow}. */
interface FileRows extends Closeable {

    /** Reads the next record into {@code row} (cleared first); false at the end of the file. */
    boolean next(RawRow row) throws IOException;

    /** Whether raw texts are CSV texts (typed by their form) rather than JSON strings. */
    default boolean textIsCsv() {
        return false;
    }
}
