package dev.caravan.spi;

import java.util.Objects;

/**
 * One thing wrong with a configuration: where ({@code path}, e.g. {@code connections[0].streams[1].sync_mode}),
 * what was found ({@code value}, already masked if secret) and what to do about it ({@code fix}).
 */
public record ConfigProblem(String path, String value, String fix) {
    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fix, "fix");
    }

    @Override
    public String toString() {
        return value == null ? path + ": " + fix : path + ": '" + value + "' — " + fix;
    }
}
