package dev.caravan.config;

import java.util.Map;
import java.util.Objects;

/**
 * A named, configured source. {@code config} holds the connector settings as written (String, Integer, Long,
 * Double, Boolean, List, Map), unmodifiable and in file order; it may hold secrets, so never log it.
 */
public record SourceConfig(String name, String connector, Map<String, Object> config) {
    public SourceConfig {
        ConfigRules.requireName(name, "source name");
        ConfigRules.requireNonBlank(connector, "connector of source " + name);
        config = ConfigValues.immutableCopy(Objects.requireNonNull(config, "config"), "config of source " + name);
    }

    @Override
    public String toString() {
        return "SourceConfig[name=" + name + ", connector=" + connector + ", config keys=" + config.keySet() + "]";
    }
}
