package dev.caravan.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A connector configuration that passed {@link ConnectorSpec#validate}: every value has its option's type. */
public final class ConnectorConfig {
    private final ConnectorSpec spec;
    private final Map<String, Object> values;
    private final NetworkSettings network;

    ConnectorConfig(ConnectorSpec spec, Map<String, Object> values) {
        this(spec, Collections.unmodifiableMap(new LinkedHashMap<>(values)), NetworkSettings.DEFAULT);
    }

    private ConnectorConfig(ConnectorSpec spec, Map<String, Object> values, NetworkSettings network) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.values = values;
        this.network = Objects.requireNonNull(network, "network");
    }

    /**
     * The TLS context and proxy the platform wants this connector's own connections to use (not part of the values:
     * never stored, shown or exported); {@link NetworkSettings#DEFAULT} unless the platform set them.
     */
    public NetworkSettings network() {
        return network;
    }

    /** This config with {@code network} as its network settings (the platform's side; connectors only read them). */
    public ConnectorConfig withNetwork(NetworkSettings network) {
        return new ConnectorConfig(spec, values, network);
    }

    public ConnectorSpec spec() {
        return spec;
    }

    public String string(String key) {
        return (String) checked(key);
    }

    public long integer(String key) {
        Object value = checked(key);
        return value == null ? 0L : ((Number) value).longValue();
    }

    public boolean bool(String key) {
        return Boolean.TRUE.equals(checked(key));
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The values as given, secrets included: for storage and connectors only, never for display. */
    public Map<String, Object> values() {
        return values;
    }

    /**
     * The values with every secret replaced by {@link ConnectorSpec#MASK}, options declared secret whole and the secrets
     * other text settings carry ({@link EmbeddedSecrets}) in place: safe for logs, APIs and exports.
     */
    public Map<String, Object> masked() {
        return maskedSettings(spec, values);
    }

    /** {@code settings} of a connector of {@code spec} as {@link #masked()} shows them. */
    public static Map<String, Object> maskedSettings(ConnectorSpec spec, Map<String, Object> settings) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        List<String> secrets = spec.secretNames();
        copy.replaceAll((key, value) -> secrets.contains(key) ? ConnectorSpec.MASK
                : value instanceof String text ? EmbeddedSecrets.masked(text) : value);
        return copy;
    }

    private Object checked(String key) {
        if (spec.options().stream().noneMatch(o -> o.name().equals(key))) {
            throw new IllegalArgumentException("connector " + spec.name() + " has no option '" + key + "'");
        }
        return values.get(key);
    }

    @Override
    public String toString() {
        return spec.name() + masked();
    }
}
