package dev.caravan.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/** Where the files are: a local folder or an S3 bucket. */
interface FileStorage extends AutoCloseable {

    /** The files whose path (relative to the root, '/'-separated) one of {@code globs} matches; listed once per call. */
    List<SourceFile> list(List<String> globs, List<PathMatcher> matchers) throws IOException;

    /** The bytes of {@code file} as listed; a file that changed since is an IOException naming it. */
    InputStream open(SourceFile file) throws IOException;

    /** A local path holding {@code file} (a download for remote storage, deleted by {@code release}). */
    Path localCopy(SourceFile file) throws IOException;

    void release(SourceFile file, Path localCopy);

    /**
     * Whether {@code failure} (met opening or reading a file) means the storage could not be reached or broke off (the
     * sync is retried from its last checkpoint) rather than that the file cannot be read.
     */
    default boolean unavailable(Throwable failure) {
        return false;
    }

    /** What the root is, for messages: the folder or {@code s3://bucket}. */
    String describe();

    @Override
    void close();

    /** The literal part of {@code glob} before its first wildcard, up to the last '/': where listing can start. */
    static String literalPrefix(String glob) {
        int wildcard = glob.length();
        for (int i = 0; i < glob.length(); i++) {
            if ("*?[{\\".indexOf(glob.charAt(i)) >= 0) {
                wildcard = i;
                break;
            }
        }
        int slash = glob.lastIndexOf('/', wildcard - 1);
        return slash < 0 ? "" : glob.substring(0, slash + 1);
    }
}
