package dev.caravan.source.file;

import java.time.Instant;

/**
 * One file as listed: {@code url} names it for users and outputs ({@code file:///…} or {@code s3://bucket/key}),
 * {@code path} is its path relative to the folder or bucket root (what globs match), {@code version} what tells a
 * changed file with the same modification time (its size locally, its ETag on S3).
 */
record SourceFile(String url, String path, long size, Instant lastModified, String version) {

    /** What the state remembers of an ingested file: a different key under the same url is a modified file. */
    String key() {
        return lastModified.toEpochMilli() + "/" + version;
    }

    /** The modification time a {@link #key()} holds. */
    static Instant lastModifiedOf(String key) {
        return Instant.ofEpochMilli(Long.parseLong(key.substring(0, key.indexOf('/'))));
    }
}
