package dev.caravan.source.file;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/** Writes test files: text in a charset, compressed by extension (.gz, .zst, .bz2), with a chosen modification time. */
public final class FileFixtures {
    private FileFixtures() {
    }

    public static Path write(Path root, String relative, String text, Instant modified) {
        return write(root, relative, text.getBytes(StandardCharsets.UTF_8), modified);
    }

    public static Path write(Path root, String relative, String text, Charset charset, Instant modified) {
        return write(root, relative, text.getBytes(charset), modified);
    }

    public static Path write(Path root, String relative, byte[] content, Instant modified) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            try (OutputStream out = compressed(relative, Files.newOutputStream(file))) {
                out.write(content);
            }
            Files.setLastModifiedTime(file, FileTime.from(modified));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a Parquet file with DuckDB (an independent writer) from {@code select}. */
    public static Path parquet(Path root, String relative, String select, Instant modified) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
                st.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
            }
            Files.setLastModifiedTime(file, FileTime.from(modified));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutputStream compressed(String name, OutputStream out) throws IOException {
        if (name.endsWith(".gz")) {
            return new GZIPOutputStream(out);
        }
        if (name.endsWith(".zst")) {
            return new ZstdOutputStream(out);
        }
        if (name.endsWith(".bz2")) {
            return new BZip2CompressorOutputStream(out);
        }
        return out;
    }
}
