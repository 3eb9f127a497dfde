package dev.caravan.destination.parquet;

import java.io.IOException;
import org.apache.parquet.io.OutputFile;

/**
 * A file being written that nobody can read yet. Write it through {@link #outputFile()} (once), close the
 * stream, then either {@link #publish()} it or {@link #discard()} it.
 *
 * <p>Closing the stream must never make the file visible: {@code ParquetWriter.close()} always writes a
 * footer, so a stream whose close published the file would turn a failed job into a valid-looking file.
 */
public interface StagedFile {

    /** Where the file appears on {@link #publish()}. */
    String finalKey();

    /** The parquet sink; its {@code create} may be called once. */
    OutputFile outputFile();

    /**
     * Makes the complete, durable file visible at {@link #finalKey()} in one step (replacing any file there)
     * and returns its size in bytes. The stream must have been closed.
     */
    long publish() throws IOException;

    /**
     * Drops the staged bytes. Safe before or after the stream is closed (later writes to the stream fail)
     * and safe to repeat; never throws. Does nothing after {@link #publish()}.
     */
    void discard();
}
