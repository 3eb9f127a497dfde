package dev.caravan.spi;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What a connector is and which configuration it takes; {@link #validate} turns raw settings into a {@link ConnectorConfig}. */
public record ConnectorSpec(String name, ConnectorKind kind, String title, List<ConfigOption> options) {

    /** Whether a connector reads ({@link SourceConnector}) or writes ({@link DestinationConnector}). */
    public enum ConnectorKind { SOURCE, DESTINATION }

    public static final String MASK = "**********";

    public ConnectorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        options = List.copyOf(options);
        Set<String> seen = new HashSet<>();
        for (ConfigOption option : options) {
            if (!seen.add(option.name())) {
                throw new IllegalArgumentException("connector " + name + " declares option '" + option.name() + "' twice");
            }
        }
    }

    /**
     * Checks every key of {@code raw} and returns the validated config; all problems are reported together,
     * each with {@code pathPrefix} + key as its path.
     */
    public ConnectorConfig validate(Map<String, ?> raw, String pathPrefix) {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, ?> input = raw == null ? Map.of() : raw;
        for (String key : input.keySet()) {
            if (options.stream().noneMatch(o -> o.name().equals(key))) {
                problems.add(new ConfigProblem(pathPrefix + key, null,
                        "unknown key for connector '" + name + "'; known keys: " + String.join(", ", optionNames())));
            }
        }
        for (ConfigOption option : options) {
            Object value = input.get(option.name());
            String path = pathPrefix + option.name();
            if (value == null) {
                if (option.required()) {
                    problems.add(new ConfigProblem(path, null, "is required: " + option.description()));
                } else if (option.defaultValue() != null) {
                    values.put(option.name(), option.defaultValue());
                }
                continue;
            }
            Object converted = OptionValues.convert(option, value, path, problems);
            if (converted != null) {
                values.put(option.name(), converted);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ConnectorConfig(this, values);
    }

    public List<String> optionNames() {
        return options.stream().map(ConfigOption::name).toList();
    }

    public List<String> secretNames() {
        return options.stream().filter(ConfigOption::secret).map(ConfigOption::name).toList();
    }
}
