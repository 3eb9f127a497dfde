package dev.caravan.source.file;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a files stream, as committed with the data it covers:
 * {@code {"files": {url: key}, "cutoff": epoch millis, "current": {"url", "key", "rows"}}} — the files ingested whole
 * (at most a bounded history; older ones forgotten behind {@code cutoff}, the newest modification time forgotten), and
 * the file being read with how many of its records are durable.
 */
final class FileState {
    private final LinkedHashMap<String, String> files;
    private long cutoff;
    private String currentUrl;
    private String currentKey;
    private long currentRows;

    private FileState(LinkedHashMap<String, String> files, long cutoff, String currentUrl, String currentKey, long currentRows) {
        this.files = files;
        this.cutoff = cutoff;
        this.currentUrl = currentUrl;
        this.currentKey = currentKey;
        this.currentRows = currentRows;
    }

    static FileState of(Map<String, Object> state) {
        LinkedHashMap<String, String> files = new LinkedHashMap<>();
        if (state.get("files") instanceof Map<?, ?> map) {
            map.forEach((url, key) -> files.put(String.valueOf(url), String.valueOf(key)));
        }
        long cutoff = state.get("cutoff") instanceof Number n ? n.longValue() : Long.MIN_VALUE;
        if (state.get("current") instanceof Map<?, ?> current && current.get("url") != null) {
            return new FileState(files, cutoff, String.valueOf(current.get("url")), String.valueOf(current.get("key")),
                    ((Number) current.get("rows")).longValue());
        }
        return new FileState(files, cutoff, null, null, 0);
    }

    /** What to do with {@code file} in an incremental read. */
    Decision decide(SourceFile file) {
        String known = files.get(file.url());
        if (known != null) {
            return known.equals(file.key()) ? Decision.INGESTED : Decision.MODIFIED;
        }
        if (file.url().equals(currentUrl)) {
            // read in part by an interrupted sync: the rest is new, unless the file changed since
            return file.key().equals(currentKey) ? Decision.NEW : Decision.MODIFIED;
        }
        return file.lastModified().toEpochMilli() <= cutoff ? Decision.INGESTED : Decision.NEW;
    }

    enum Decision { NEW, INGESTED, MODIFIED }

    /** Records of {@code file} already durable (a read interrupted in it), else 0. */
    long durableRows(SourceFile file) {
        return file.url().equals(currentUrl) && file.key().equals(currentKey) ? currentRows : 0;
    }

    void reading(SourceFile file, long rows) {
        currentUrl = file.url();
        currentKey = file.key();
        currentRows = rows;
    }

    /** {@code file} read whole; the history trimmed to {@code max} files. */
    void ingested(SourceFile file, int max) {
        currentUrl = null;
        currentKey = null;
        currentRows = 0;
        files.remove(file.url());
        files.put(file.url(), file.key());
        if (files.size() > max) {
            // forget the oldest, but never a file as new as the one just read: files sharing a modification time (an
            // archive unpacked, objects uploaded in the same second) must all stay remembered until newer ones come,
            // else the cutoff would pass over those of them not read yet
            long newest = file.lastModified().toEpochMilli();
            List<Map.Entry<String, String>> byAge = new ArrayList<>(files.entrySet());
            byAge.sort(Comparator.comparing((Map.Entry<String, String> e) -> SourceFile.lastModifiedOf(e.getValue())).thenComparing(Map.Entry::getKey));
            for (Map.Entry<String, String> oldest : byAge.subList(0, files.size() - max)) {
                long modified = SourceFile.lastModifiedOf(oldest.getValue()).toEpochMilli();
                if (modified >= newest) {
                    break;
                }
                files.remove(oldest.getKey());
                cutoff = Math.max(cutoff, modified);
            }
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("files", new LinkedHashMap<>(files));
        if (cutoff != Long.MIN_VALUE) {
            map.put("cutoff", cutoff);
        }
        if (currentUrl != null) {
            map.put("current", Map.of("url", currentUrl, "key", currentKey, "rows", currentRows));
        }
        return map;
    }

}
