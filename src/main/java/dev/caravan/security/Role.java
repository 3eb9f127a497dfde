package dev.caravan.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a credential may do. Each role includes the ones below it: {@code viewer} reads everything (secrets masked),
 * {@code editor} also changes sources, destinations and connections and runs syncs (API writes; over Jolokia a
 * connection's sync, reset, replay), {@code admin} also manages API tokens and may use the rest of Jolokia (see
 * docs/security.md).
 */
public enum Role {
    VIEWER, EDITOR, ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.configName().equals(text)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", "));
    }
}
