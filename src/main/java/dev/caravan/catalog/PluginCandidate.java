package dev.caravan.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One plugin in a plugin folder: a {@code .jar} file, or a sub-folder whose {@code .jar} files (not those of its
 * sub-folders) together make the plugin — the connector's jar beside the libraries it brings —, or a sub-folder without
 * jars holding a {@code manifest.yaml}: a declarative HTTP API source named after the folder. Names starting with a dot
 * are ignored, so a plugin can be copied under a hidden name and renamed when complete. The fingerprint (each jar's
 * name, size and modification time) tells a plugin still being copied, or changed after loading, from a settled one.
 */
record PluginCandidate(Path path, List<Path> jars, String fingerprint, Path manifest) {
    /** The name of the file that makes a folder without jars a manifest plugin: a declarative HTTP source of its own. */
    static final String MANIFEST = "manifest.yaml";

    PluginCandidate(Path path, List<Path> jars, String fingerprint) {
        this(path, jars, fingerprint, null);
    }

    /** Whether this is a manifest plugin (no code: an HTTP API manifest) rather than jars. */
    boolean isManifest() {
        return manifest != null;
    }

    /** The plugins of {@code folder}, sorted by name; none when the folder does not exist. */
    static List<PluginCandidate> in(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<PluginCandidate> candidates = new ArrayList<>();
        for (Path entry : visible(folder)) {
            if (Files.isDirectory(entry)) {
                List<Path> jars = visible(entry).stream().filter(PluginCandidate::isJar).toList();
                Path manifest = entry.resolve(MANIFEST);
                if (!jars.isEmpty()) {
                    candidates.add(new PluginCandidate(entry, jars, fingerprint(jars)));
                } else if (Files.isRegularFile(manifest)) {
                    candidates.add(new PluginCandidate(entry, List.of(), fingerprint(List.of(manifest)), manifest));
                }
            } else if (isJar(entry)) {
                candidates.add(new PluginCandidate(entry, List.of(entry), fingerprint(List.of(entry))));
            }
        }
        return candidates;
    }

    /** The plugin at {@code path}: a jar, or a folder of jars. */
    static PluginCandidate of(Path path) {
        List<Path> jars = Files.isDirectory(path) ? visible(path).stream().filter(PluginCandidate::isJar).toList()
                : isJar(path) ? List.of(path) : List.of();
        if (jars.isEmpty()) {
            throw new IllegalArgumentException(path + " is neither a .jar file nor a folder holding .jar files");
        }
        return new PluginCandidate(path, jars, fingerprint(jars));
    }

    List<URL> urls() {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(jar + " has no URL", e);
            }
        }
        return urls;
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }

    private static List<Path> visible(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugin folder " + folder, e);
        }
    }

    private static String fingerprint(List<Path> jars) {
        StringBuilder text = new StringBuilder();
        for (Path jar : jars) {
            try {
                text.append(jar.getFileName()).append(':').append(Files.size(jar)).append(':')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append(';');
            } catch (IOException e) {
                text.append(jar.getFileName()).append(":gone;");
            }
        }
        return text.toString();
    }
}
