package dev.caravan.source.jdbc;

import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.EmbeddedSecrets;
import dev.caravan.security.SecretRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * A validated JDBC source configuration: where to connect ({@code url}, driver {@code properties} including the
 * credentials), which schemas to offer, how many rows to fetch per round trip and how long to wait for a connection.
 * {@code target} names the server for messages ("PostgreSQL at db.example:5432, database shop"); it never holds
 * a secret, and neither does {@link #toString()}.
 */
public record JdbcSettings(String url, String driverClass, Properties properties, String user, String password, List<String> schemas,
                           int fetchSize, int connectTimeoutSeconds, String target) {
    public JdbcSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
        Properties copy = new Properties();
        copy.putAll(properties);
        properties = copy;
        password = password == null ? "" : password;
        schemas = List.copyOf(schemas);
        if (fetchSize < 1 || connectTimeoutSeconds < 1) {
            throw new IllegalArgumentException("fetchSize and connectTimeoutSeconds must be positive");
        }
    }

    /** Driver properties with the credentials, for opening connections. */
    public Properties connectionProperties() {
        Properties all = new Properties();
        all.putAll(properties);
        if (user != null && !user.isEmpty()) {
            all.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            all.setProperty("password", password);
        }
        return all;
    }

    /**
     * Replaces the password, the secrets of the URL and of the driver properties whose names say secret
     * ({@link EmbeddedSecrets}) wherever a driver message might repeat them.
     */
    public String scrub(String message) {
        if (message == null) {
            return null;
        }
        SecretRegistry known = new SecretRegistry();
        known.registerEmbedded(url);
        properties.forEach((key, value) -> {
            if (EmbeddedSecrets.isSecretKey(String.valueOf(key))) {
                known.register(String.valueOf(value));
            }
        });
        String scrubbed = known.mask(message);
        return password.length() < 3 ? scrubbed : scrubbed.replace(password, ConnectorSpec.MASK);
    }

    @Override
    public String toString() {
        return "JdbcSettings[" + target + ", user=" + user + ", schemas=" + schemas + "]";
    }

    /** The comma-separated {@code schemas} option as a list, blanks dropped. */
    public static List<String> splitSchemas(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /**
     * Parses {@code jdbc_params} ({@code key=value&key=value}) into {@code into}; malformed pairs and credentials
     * (which have their own, masked options) are reported as problems.
     */
    public static void parseParams(String value, String option, Properties into, List<ConfigProblem> problems) {
        if (value == null || value.isBlank()) {
            return;
        }
        List<String> bad = new ArrayList<>();
        for (String pair : value.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
            if (eq <= 0 || key.isEmpty()) {
                bad.add(pair);
                continue;
            }
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("password") || lower.equals("user")) {
                problems.add(new ConfigProblem(option, key + "=…", "set the " + (lower.equals("user") ? "username" : "password")
                        + " option instead of passing it in " + option));
                continue;
            }
            into.setProperty(key, pair.substring(eq + 1).strip());
        }
        if (!bad.isEmpty()) {
            problems.add(new ConfigProblem(option, String.join("&", bad), "write each parameter as key=value, separated by '&'"));
        }
    }
}
