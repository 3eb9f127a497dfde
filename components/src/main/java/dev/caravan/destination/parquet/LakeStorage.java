package dev.caravan.destination.parquet;

import java.io.IOException;
import java.util.List;
import org.apache.parquet.io.InputFile;

/**
 * The object store under a lake root (a local directory, an S3 bucket prefix). Keys are relative,
 * '/'-separated paths such as {@code raw/sales/orders/2024/05/01/data-001.parquet}.
 *
 * <p>Readers must never see a partial file: data files are written through {@link #stage} and only
 * become visible, whole, on {@link StagedFile#publish()}. One writer per stream at a time. A storage may hold
 * connections (an S3 client): {@link #close} releases them; the stream writer using it closes it.
 */
public interface LakeStorage extends AutoCloseable {

    /**
     * Starts a file that will appear at {@code finalKey} when published. {@code scope} names the writer
     * (connection and stream) so that {@link #discardStaged} can later remove what a crashed job left;
     * one scope's staged files are never touched by another's cleanup, even when one scope is a path prefix
     * of the other.
     */
    StagedFile stage(StagingScope scope, String finalKey) throws IOException;

    /** Removes every staged, unpublished file of {@code scope}. */
    void discardStaged(StagingScope scope) throws IOException;

    /**
     * Whether a publish that failed certainly left its file unpublished. Not so on S3, where a completion can succeed
     * while its answer is lost: there even a one-file publish is journaled, so the retry takes the file back.
     */
    default boolean publishOutcomeCertain() {
        return false;
    }

    /** Keys of all visible files whose key starts with {@code prefix}, sorted. */
    List<String> list(String prefix) throws IOException;

    /** Deletes the file at {@code key}; a missing file is not an error. */
    void delete(String key) throws IOException;

    /** Replaces the file at {@code key} with {@code content}; readers see the old or the new content, never a mix. */
    void writeAtomically(String key, byte[] content) throws IOException;

    /** The content of the file at {@code key}. */
    byte[] read(String key) throws IOException;

    /** Whether a visible file exists at {@code key}. */
    default boolean exists(String key) throws IOException {
        return list(key).contains(key);
    }

    /** The published file at {@code key} for parquet readers (random access, streamed: never read whole into memory). */
    InputFile openInput(String key) throws IOException;

    /** Where {@code key} lives, for messages (a path or URI). */
    String describe(String key);

    @Override
    default void close() {
    }
}
