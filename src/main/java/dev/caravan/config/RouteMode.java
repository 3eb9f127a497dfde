package dev.caravan.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who writes a connection's routes. {@code generated}: Caravan renders {@code <connection>.yaml} in the route directory
 * from the connection's streams and schedule. {@code hand_written}: an operator's own route files provide them; the
 * connection names its source and destination, and only routes of those may load for it.
 */
public enum RouteMode {
    GENERATED, HAND_WRITTEN;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RouteMode> fromConfigName(String text) {
        return Arrays.stream(values()).filter(m -> m.configName().equals(text)).findFirst();
    }

    public static String allNames() {
        return Arrays.stream(values()).map(RouteMode::configName).collect(Collectors.joining(", "));
    }
}
