package dev.caravan.destination.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

/**
 * A lake in a local directory. Staged files live under {@code {root}/_airbyte_internal/tmp/{scope}/} and are
 * published by an atomic rename, so the root and its tmp area must be on one file system. Files are
 * fsynced before they are published. Directories emptied by a delete or a discard are removed; staging directories
 * stay after a publish.
 */
public final class LocalLakeStorage implements LakeStorage {
    static final String TMP_PREFIX = "_airbyte_internal/tmp/";
    static final String STAGED_SUFFIX = ".staged";
    private static final int CREATE_ATTEMPTS = 5;

    private final Path root;

    public LocalLakeStorage(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public StagedFile stage(StagingScope scope, String finalKey) {
        Path target = resolve(finalKey);
        Path staged = scopeDirectory(scope.name()).resolve(target.getFileName() + "." + UUID.randomUUID() + STAGED_SUFFIX);
        return new LocalStagedFile(this, finalKey, staged, target);
    }

    @Override
    public void discardStaged(StagingScope scope) throws IOException {
        Path dir = scopeDirectory(scope.name());
        if (!Files.isDirectory(dir)) {
            return;
        }
        // only the scope's own files: a nested directory belongs to another scope
        boolean deleted = false;
        try (DirectoryStream<Path> staged = Files.newDirectoryStream(dir, "*" + STAGED_SUFFIX)) {
            for (Path file : staged) {
                if (Files.isRegularFile(file)) {
                    deleted |= Files.deleteIfExists(file);
                }
            }
        }
        // an empty scope directory is the stream's, kept between its jobs; one a crash or an abort left files in goes
        if (deleted) {
            pruneEmptyDirectories(dir);
        }
    }

    /** A rename either happened or failed with an exception: a failed publish never leaves the file visible. */
    @Override
    public boolean publishOutcomeCertain() {
        return true;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path base = prefix.isEmpty() ? root : prefix.endsWith("/") ? resolve(prefix) : resolve(prefix).getParent();
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(Files::isRegularFile)
                    .filter(LocalLakeStorage::visible)
                    .map(this::keyOf)
                    .filter(key -> key.startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        Files.deleteIfExists(file);
        pruneEmptyDirectories(file.getParent());
    }

    @Override
    public void writeAtomically(String key, byte[] content) throws IOException {
        Path target = resolve(key);
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = withParents(temp, () -> FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public byte[] read(String key) throws IOException {
        return Files.readAllBytes(resolve(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public InputFile openInput(String key) throws IOException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return new LocalInputFile(file);
    }

    @Override
    public String describe(String key) {
        return resolve(key).toString();
    }

    /** The path of {@code key}; a key that would leave the root is a bug in the caller. */
    Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("key '" + key + "' does not name a file under the lake root " + root);
        }
        return path;
    }

    private Path scopeDirectory(String scope) {
        Path tmp = root.resolve(TMP_PREFIX);
        Path dir = resolve(TMP_PREFIX + scope);
        if (!dir.startsWith(tmp) || dir.equals(tmp)) {
            throw new IllegalArgumentException("staging scope '" + scope + "' does not name a directory under " + tmp);
        }
        return dir;
    }

    /**
     * Renames {@code source} to {@code target} atomically, replacing it, and makes the rename durable. The source's
     * directory stays (a staging scope is used again by the stream's next job; creating and removing directories per job
     * costs the file system more than the job's own file writes).
     */
    void moveIntoPlace(Path source, Path target) throws IOException {
        withParents(target, () -> Files.move(source, target, StandardCopyOption.ATOMIC_MOVE));
        syncDirectory(target.getParent());
    }

    /** Runs {@code action} after creating the parents of {@code file}, again if a concurrent prune removed them. */
    static <T> T withParents(Path file, IoAction<T> action) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                // a stat, not a failing mkdir and its exception, when the directory is there (nearly always)
                if (!Files.isDirectory(file.getParent())) {
                    Files.createDirectories(file.getParent());
                }
                return action.run();
            } catch (NoSuchFileException e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    void pruneEmptyDirectories(Path dir) {
        for (Path current = dir; current != null && current.startsWith(root) && !current.equals(root); current = current.getParent()) {
            try {
                Files.delete(current);
            } catch (NoSuchFileException e) {
                // already gone: keep going up
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not every platform can sync a directory; the rename itself is atomic either way
        }
    }

    private static boolean visible(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && !name.endsWith(STAGED_SUFFIX);
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    @FunctionalInterface
    interface IoAction<T> {
        T run() throws IOException;
    }
}
