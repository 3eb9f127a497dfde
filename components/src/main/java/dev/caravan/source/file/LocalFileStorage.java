package dev.caravan.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files under a local folder; a file's version is its size (with its modification time in its key). */
final class LocalFileStorage implements FileStorage {
    private final Path root;

    LocalFileStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public List<SourceFile> list(List<String> globs, List<PathMatcher> matchers) throws IOException {
        Map<String, SourceFile> found = new LinkedHashMap<>();
        for (String glob : globs) {
            Path start = root.resolve(FileStorage.literalPrefix(glob)).normalize();
            if (!start.startsWith(root) || !Files.isDirectory(start)) {
                continue;
            }
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        String relative = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                        Path rel = Path.of(relative);
                        if (!found.containsKey(relative) && matchers.stream().anyMatch(m -> m.matches(rel))) {
                            found.put(relative, new SourceFile(file.toUri().toString(), relative, attributes.size(),
                                    attributes.lastModifiedTime().toInstant(), Long.toString(attributes.size())));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return new ArrayList<>(found.values());
    }

    @Override
    public InputStream open(SourceFile file) throws IOException {
        Path path = root.resolve(file.path());
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new FileChangedException("it was deleted after it was listed");
        }
        if (now.size() != file.size() || !now.lastModifiedTime().toInstant().equals(file.lastModified())) {
            throw new FileChangedException("it changed after it was listed");
        }
        return Files.newInputStream(path);
    }

    @Override
    public Path localCopy(SourceFile file) {
        return root.resolve(file.path());
    }

    @Override
    public void release(SourceFile file, Path localCopy) {
        // the file itself: nothing to delete
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public void close() {
    }
}
