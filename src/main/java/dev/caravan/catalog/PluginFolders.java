package dev.caravan.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugin folders hold and which of their plugins are due for loading: at start all of them; later, a plugin
 * not tried yet (or tried and broken, whose files changed since) once two consecutive scans find its files unchanged.
 * A plugin changed or removed after it loaded is reported once (its connectors run as loaded until a restart). Not
 * thread-safe: the catalog calls it under its own lock.
 */
final class PluginFolders {
    private static final Logger LOG = LoggerFactory.getLogger(PluginFolders.class);

    private final List<Path> folders;
    /** Plugin path -> fingerprint when it was last tried. */
    private final Map<Path, String> tried = new HashMap<>();
    /** Plugins whose connectors are registered: never loaded again. */
    private final Set<Path> loaded = new HashSet<>();
    /** Plugin path -> fingerprint seen by the previous scan, for plugins not tried in that form (maybe still being copied). */
    private final Map<Path, String> settling = new HashMap<>();
    private final Set<Path> reportedStale = new HashSet<>();
    private List<Path> forgotten = List.of();

    PluginFolders(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    List<Path> folders() {
        return folders;
    }

    /** Every plugin now in the folders: what a start loads. */
    List<PluginCandidate> all() {
        List<PluginCandidate> all = new ArrayList<>();
        folders.forEach(folder -> all.addAll(PluginCandidate.in(folder)));
        return all;
    }

    /** The plugins to load now, as a scan while running finds them; see the class comment. */
    List<PluginCandidate> due() {
        List<PluginCandidate> due = new ArrayList<>();
        Set<Path> present = new HashSet<>();
        for (PluginCandidate candidate : all()) {
            Path path = candidate.path();
            present.add(path);
            String fingerprint = tried.get(path);
            if (candidate.fingerprint().equals(fingerprint)) {
                continue;
            }
            if (loaded.contains(path)) {
                if (reportedStale.add(path)) {
                    LOG.warn("Plugin {} changed after it was loaded; its connectors keep running as loaded: restart the server to load the new files", path);
                }
            } else if (candidate.fingerprint().equals(settling.remove(path))) {
                due.add(candidate);
            } else {
                settling.put(path, candidate.fingerprint());
            }
        }
        settling.keySet().retainAll(present);
        for (Path path : loaded) {
            if (!present.contains(path) && reportedStale.add(path)) {
                LOG.warn("Plugin {} was removed; its connectors stay in the catalog until the server restarts", path);
            }
        }
        List<Path> gone = tried.keySet().stream().filter(path -> !present.contains(path) && !loaded.contains(path)).toList();
        gone.forEach(tried::remove);
        forgotten = gone;
        return due;
    }

    /** Broken plugins the last {@link #due} found removed: their problems are no longer current. */
    List<Path> forgotten() {
        return forgotten;
    }

    /** Records that {@code candidate} was tried, and whether its connectors were registered. */
    void tried(PluginCandidate candidate, boolean registered) {
        tried.put(candidate.path(), candidate.fingerprint());
        if (registered) {
            loaded.add(candidate.path());
        }
    }
}
