package dev.caravan.config;

import java.util.Map;
import java.util.Objects;

/**
 * A named, configured destination. {@code config} holds the connector settings as written (String, Integer, Long,
 * Double, Boolean, List, Map), unmodifiable and in file order; it may hold secrets, so never log it.
 */
public record DestinationConfig(String name, String connector, Map<String, Object> config) {
    public DestinationConfig {
        ConfigRules.requireName(name, "destination name");
        ConfigRules.requireNonBlank(connector, "connector of destination " + name);
        config = ConfigValues.immutableCopy(Objects.requireNonNull(config, "config"), "config of destination " + name);
    }

    @Override
    public String toString() {
        return "DestinationConfig[name=" + name + ", connector=" + connector + ", config keys=" + config.keySet() + "]";
    }
}
