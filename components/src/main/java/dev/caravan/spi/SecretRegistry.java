package dev.caravan.spi;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values one server has seen (settings of options flagged {@link ConfigOption#secret()}, the secret parts of
 * other settings found by {@link EmbeddedSecrets}, the metadata store's password), so that text about to leave that server
 * — an error message, an API response, a job history row — can be scrubbed of them with {@link #mask}. This is the
 * safety net behind the structural masking (specs mask secret options by name): it catches a secret a driver or a
 * library echoes in an exception message.
 * <p>
 * Each server owns one registry: two servers in one JVM never mask, nor learn, each other's values. A connector may use
 * its own registry the same way, to scrub the secrets of its configuration from the messages of its errors. Values shorter than
 * {@value #MIN_LENGTH} characters are not tracked (they would garble ordinary text).
 */
public final class SecretRegistry {
    public static final int MIN_LENGTH = 4;
    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private volatile List<String> longestFirst = List.of();

    /** Remembers a secret, also as it appears JSON-escaped, URL-encoded and URL-decoded. */
    public void register(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || ConnectorSpec.MASK.equals(secret)) {
            return;
        }
        boolean added = add(secret);
        added |= add(jsonEscaped(secret));
        added |= add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        added |= add(decoded(secret));
        if (added) {
            longestFirst = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** Remembers the secret parts {@link EmbeddedSecrets} finds in a setting's value. */
    public void registerEmbedded(String value) {
        for (EmbeddedSecrets.Part part : EmbeddedSecrets.find(value)) {
            register(part.in(value));
        }
    }

    /** {@code text} with every known secret replaced by {@link ConnectorSpec#MASK}. */
    public String mask(String text) {
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

    private boolean add(String value) {
        return value != null && value.length() >= MIN_LENGTH && values.add(value);
    }

    private static String decoded(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return null;
        }
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
