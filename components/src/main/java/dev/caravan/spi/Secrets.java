package dev.caravan.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values this JVM has seen (settings of options flagged {@link ConfigOption#secret()}, the metadata store's
 * password), so that text about to leave the process — a log line, an error message, an API response — can be scrubbed
 * of them with {@link #mask}. This is the safety net behind the structural masking (specs mask secret options by name):
 * it catches a secret a driver or a library echoes in an exception message. Values shorter than
 * {@value #MIN_LENGTH} characters are not tracked (they would garble ordinary text).
 */
public final class Secrets {
    public static final int MIN_LENGTH = 4;
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();
    private static volatile List<String> longestFirst = List.of();

    private Secrets() {
    }

    /** Remembers a secret, also as it appears JSON-escaped and URL-encoded. */
    public static void register(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || ConnectorSpec.MASK.equals(secret)) {
            return;
        }
        boolean added = VALUES.add(secret);
        added |= VALUES.add(jsonEscaped(secret));
        added |= VALUES.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        if (added) {
            longestFirst = VALUES.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** {@code text} with every known secret replaced by {@link ConnectorSpec#MASK}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : longestFirst) {
            if (result.contains(secret)) {
                result = result.replace(secret, ConnectorSpec.MASK);
            }
        }
        return result;
    }

    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
