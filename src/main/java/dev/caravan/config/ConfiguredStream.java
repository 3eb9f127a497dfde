package dev.caravan.config;

import dev.caravan.spi.SplitReads;
import dev.caravan.spi.SyncMode;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One stream a connection syncs and how. {@code cursorField} is null when not set; it is required for incremental
 * modes and kept but unused for full refresh. {@code primaryKey} is required for
 * {@link SyncMode#INCREMENTAL_APPEND_DEDUPED}. An empty {@code fields} selects every field; otherwise it must include
 * the cursor and primary key fields. {@code splitReads} (null when not set: the source's setting applies) asks the source
 * to read a full refresh in parallel key ranges; incremental modes read in cursor order and cannot set it.
 */
public record ConfiguredStream(String name, SyncMode syncMode, String cursorField, List<String> primaryKey, List<String> fields,
                               SplitReads splitReads) {

    public static final SyncMode DEFAULT_SYNC_MODE = SyncMode.FULL_REFRESH_OVERWRITE;

    public ConfiguredStream {
        Objects.requireNonNull(name, "name");
        if (!ConfigRules.isStreamName(name)) {
            throw new IllegalArgumentException("stream name '" + name + "': " + ConfigRules.STREAM_NAME_RULE);
        }
        Objects.requireNonNull(syncMode, "syncMode");
        if (cursorField != null) {
            ConfigRules.requireNonBlank(cursorField, "cursor field of stream " + name);
        }
        primaryKey = distinctNonBlank(primaryKey, "primary key of stream " + name);
        fields = distinctNonBlank(fields, "fields of stream " + name);
        if (syncMode.incremental() && cursorField == null) {
            throw new IllegalArgumentException("stream " + name + ": " + syncMode + " needs a cursor field");
        }
        if (syncMode == SyncMode.INCREMENTAL_APPEND_DEDUPED && primaryKey.isEmpty()) {
            throw new IllegalArgumentException("stream " + name + ": " + syncMode + " needs a primary key");
        }
        if (syncMode.incremental() && splitReads != null && !splitReads.off()) {
            throw new IllegalArgumentException("stream " + name + ": " + syncMode + " reads in cursor order and cannot use split_reads " + splitReads);
        }
        if (!fields.isEmpty()) {
            if (cursorField != null && !fields.contains(cursorField)) {
                throw new IllegalArgumentException("stream " + name + ": fields must include the cursor field " + cursorField);
            }
            if (!fields.containsAll(primaryKey)) {
                throw new IllegalArgumentException("stream " + name + ": fields must include the primary key " + primaryKey);
            }
        }
    }

    /** A stream that leaves split reads to the source's setting. */
    public ConfiguredStream(String name, SyncMode syncMode, String cursorField, List<String> primaryKey, List<String> fields) {
        this(name, syncMode, cursorField, primaryKey, fields, null);
    }

    /** A full-refresh-overwrite stream of every field, the default for a stream listed by name only. */
    public static ConfiguredStream of(String name) {
        return new ConfiguredStream(name, DEFAULT_SYNC_MODE, null, List.of(), List.of());
    }

    private static List<String> distinctNonBlank(List<String> values, String what) {
        List<String> copy = List.copyOf(Objects.requireNonNull(values, what));
        for (String value : copy) {
            ConfigRules.requireNonBlank(value, what + " entry");
        }
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException(what + " lists a field twice: " + copy);
        }
        return copy;
    }
}
