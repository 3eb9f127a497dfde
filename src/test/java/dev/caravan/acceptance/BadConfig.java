package dev.caravan.acceptance;

import java.util.Map;

/**
 * A configuration {@code check} must refuse: the valid one with {@code overrides} applied, and the option the error
 * message must name so that a user knows what to fix (e.g. {@code host} for an unknown host).
 */
public record BadConfig(String field, Map<String, Object> overrides) {
    public static BadConfig of(String field, Object badValue) {
        return new BadConfig(field, Map.of(field, badValue));
    }
}
