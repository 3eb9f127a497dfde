package dev.caravan.spi;

import java.util.List;

/**
 * What a committed {@link StreamWriter} delivered: rows, bytes of data files, the files' locations, and how many rows
 * carried changes (values nulled or altered, listed in {@code _airbyte_meta}).
 */
public record WriteSummary(long records, long bytes, List<String> files, long rowsWithChanges) {
    public WriteSummary {
        files = List.copyOf(files);
    }

    public WriteSummary(long records, long bytes, List<String> files) {
        this(records, bytes, files, 0);
    }
}
