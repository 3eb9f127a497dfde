package dev.caravan.spi;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a stream is read and written; the names are the ones used in configuration files. */
public enum SyncMode {
    FULL_REFRESH_OVERWRITE("full_refresh_overwrite", false),
    FULL_REFRESH_APPEND("full_refresh_append", false),
    INCREMENTAL_APPEND("incremental_append", true),
    INCREMENTAL_APPEND_DEDUPED("incremental_append_deduped", true);

    private final String configName;
    private final boolean incremental;

    SyncMode(String configName, boolean incremental) {
        this.configName = configName;
        this.incremental = incremental;
    }

    public String configName() {
        return configName;
    }

    public boolean incremental() {
        return incremental;
    }

    public static Optional<SyncMode> fromConfigName(String name) {
        return Arrays.stream(values()).filter(m -> m.configName.equals(name)).findFirst();
    }

    public static String allNames() {
        return Arrays.stream(values()).map(SyncMode::configName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return configName;
    }
}
