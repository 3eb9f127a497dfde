package dev.caravan.spi;

import java.util.List;

/** What a committed {@link StreamWriter} delivered: rows, bytes of data files and the files' locations. */
public record WriteSummary(long records, long bytes, List<String> files) {
    public WriteSummary {
        files = List.copyOf(files);
    }
}
