package dev.caravan.source.file;

import com.github.luben.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** The compression of a file: declared, or {@link #AUTO} = by its name's extension (.gz, .zst, .bz2; else none). */
enum Compression {
    AUTO, NONE, GZIP, ZSTD, BZIP2;

    static final int BUFFER = 256 * 1024;

    String configName() {
        return name().toLowerCase();
    }

    /** The compression of a file named {@code name} under this setting. */
    Compression of(String name) {
        if (this != AUTO) {
            return this;
        }
        String lower = name.toLowerCase();
        if (lower.endsWith(".gz") || lower.endsWith(".gzip")) {
            return GZIP;
        }
        if (lower.endsWith(".zst") || lower.endsWith(".zstd")) {
            return ZSTD;
        }
        if (lower.endsWith(".bz2")) {
            return BZIP2;
        }
        return NONE;
    }

    /** {@code raw} decompressed (this must not be AUTO); closing the result closes {@code raw}. */
    InputStream wrap(InputStream raw) throws IOException {
        return switch (this) {
            case NONE -> raw;
            case GZIP -> new GZIPInputStream(raw, BUFFER);
            case ZSTD -> new ZstdInputStream(raw);
            case BZIP2 -> new BZip2CompressorInputStream(raw, true);
            case AUTO -> throw new IllegalStateException("resolve AUTO with of(name) first");
        };
    }
}
