package dev.caravan.acceptance;

import java.util.Arrays;
import java.util.Base64;

/** How the kit compares and prints values a source returns. */
public final class Values {
    private Values() {
    }

    /** The value as text: {@code String.valueOf}, bytes as base64, arrays element by element. */
    public static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Object[] array) {
            return Arrays.stream(array).map(Values::text).toList().toString();
        }
        return String.valueOf(value);
    }

    /** The value as text with its Java class, for golden files. */
    static String typed(Object value) {
        return value == null ? "null" : text(value) + " (" + value.getClass().getSimpleName() + ")";
    }
}
