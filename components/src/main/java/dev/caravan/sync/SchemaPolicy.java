package dev.caravan.sync;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a connection does when a stream's source schema changed since its last sync (connection key {@code schema_changes}).
 * Widenings (int to bigint, float to double, wider decimals) are always applied; breaking changes (cursor or primary key
 * removed, an incompatible type) always stop the stream, or pause the connection under {@link #PAUSE}.
 */
public enum SchemaPolicy {
    /** New columns are read and written; removed columns stay as null. New streams are noted, not added. */
    PROPAGATE_COLUMNS,
    /** As {@link #PROPAGATE_COLUMNS}; new streams are also added to the connection (after the job that found them). */
    PROPAGATE_ALL,
    /** The fields synced last time are kept: new columns are not read; removed columns stay as null. */
    IGNORE,
    /**
     * The changed stream is not synced and the job fails saying why; the connection's schedule is disabled (also for a new
     * stream) until the changes are accepted.
     */
    PAUSE;

    public static final SchemaPolicy DEFAULT = PROPAGATE_COLUMNS;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SchemaPolicy> fromConfigName(String value) {
        return Arrays.stream(values()).filter(p -> p.configName().equals(value)).findFirst();
    }

    public static List<String> allNames() {
        return Arrays.stream(values()).map(SchemaPolicy::configName).toList();
    }

    public boolean propagatesColumns() {
        return this == PROPAGATE_COLUMNS || this == PROPAGATE_ALL;
    }
}
