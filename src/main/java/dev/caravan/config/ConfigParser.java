package dev.caravan.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ConnectorSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a connections-as-code YAML document into a {@link CaravanConfig}. Every problem in the document is reported
 * in one {@link ConfigException}, each naming its path (e.g. {@code connections[0].streams[1].sync_mode}), the bad
 * value and the fix; connector settings are never quoted because they may be secrets. Thread-safe.
 */
public final class ConfigParser {
    private static final List<String> ROOT_KEYS = List.of("sources", "destinations", "connections");
    private static final List<String> CONNECTOR_KEYS = List.of("name", "connector", "config");

    private final Function<String, Optional<ConnectorSpec>> sourceSpecs;
    private final Function<String, Optional<ConnectorSpec>> destinationSpecs;

    /** A parser that checks the document's structure but not connector settings. */
    public ConfigParser() {
        this.sourceSpecs = null;
        this.destinationSpecs = null;
    }

    /** A parser that also checks each source's and destination's {@code config} against its connector's spec. */
    public ConfigParser(Function<String, Optional<ConnectorSpec>> sourceSpecs, Function<String, Optional<ConnectorSpec>> destinationSpecs) {
        this.sourceSpecs = Objects.requireNonNull(sourceSpecs, "sourceSpecs");
        this.destinationSpecs = Objects.requireNonNull(destinationSpecs, "destinationSpecs");
    }

    /** Parses a document whose connections may refer only to sources and destinations it declares itself. */
    public CaravanConfig parse(String yamlText, String origin) {
        return parse(yamlText, origin, Set.of(), Set.of());
    }

    /**
     * Parses a document whose connections may also refer to {@code knownSources} and {@code knownDestinations},
     * declared elsewhere (other files, the server). {@code origin} names the text in messages, e.g. its file name.
     */
    public CaravanConfig parse(String yamlText, String origin, Set<String> knownSources, Set<String> knownDestinations) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(origin, "origin");
        JsonNode root = YamlDocument.read(yamlText, origin);
        if (root.isMissingNode()) {
            return CaravanConfig.EMPTY;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw new ConfigException(new ConfigProblem(origin, null, "must be a map with the keys "
                    + String.join(", ", ROOT_KEYS) + ", not " + YamlMap.kind(root)));
        }
        YamlMap map = YamlMap.of(root, "", problems).orElseThrow();
        map.allowOnly(ROOT_KEYS);
        Map<String, String> sourcePaths = new LinkedHashMap<>();
        Map<String, String> destinationPaths = new LinkedHashMap<>();
        Map<String, String> connectionPaths = new LinkedHashMap<>();
        List<SourceConfig> sources = section(map, "sources", "source", sourcePaths, problems,
                (node, path) -> connectorEntry(node, path, "source", sourceSpecs, SourceConfig::new, problems));
        List<DestinationConfig> destinations = section(map, "destinations", "destination", destinationPaths, problems,
                (node, path) -> connectorEntry(node, path, "destination", destinationSpecs, DestinationConfig::new, problems));
        ConnectionParser connectionParser = new ConnectionParser(union(sourcePaths.keySet(), knownSources),
                union(destinationPaths.keySet(), knownDestinations), problems);
        List<ConnectionConfig> connections = section(map, "connections", "connection", connectionPaths, problems, connectionParser::parse);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new CaravanConfig(sources, destinations, connections);
    }

    /** Parses a file; its path names it in messages. A file that cannot be read is reported as a config problem. */
    public CaravanConfig parse(Path file) {
        return parse(file, Set.of(), Set.of());
    }

    public CaravanConfig parse(Path file, Set<String> knownSources, Set<String> knownDestinations) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), null,
                    "cannot be read (" + e.getClass().getSimpleName() + "); check that the file exists, is readable and is UTF-8"));
        }
        return parse(text, file.toString(), knownSources, knownDestinations);
    }

    private interface EntryParser<T> {
        T parse(JsonNode node, String path);
    }

    private interface EntryFactory<T> {
        T create(String name, String connector, Map<String, Object> config);
    }

    /** Parses each entry of a top-level list and reports names used twice; {@code firstPaths} collects name → path. */
    private static <T> List<T> section(YamlMap root, String key, String kind, Map<String, String> firstPaths,
                                       List<ConfigProblem> problems, EntryParser<T> parser) {
        List<T> entries = new ArrayList<>();
        List<JsonNode> items = root.list(key);
        for (int i = 0; i < items.size(); i++) {
            String path = key + "[" + i + "]";
            T entry = parser.parse(items.get(i), path);
            JsonNode name = items.get(i).get("name");
            if (name != null && name.isTextual() && ConfigRules.isName(name.textValue())) {
                String first = firstPaths.putIfAbsent(name.textValue(), path);
                if (first != null) {
                    problems.add(new ConfigProblem(path + ".name", name.textValue(),
                            "is already the name of " + first + "; give each " + kind + " a unique name"));
                }
            }
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static <T> T connectorEntry(JsonNode node, String path, String kind, Function<String, Optional<ConnectorSpec>> specs,
                                        EntryFactory<T> factory, List<ConfigProblem> problems) {
        int before = problems.size();
        YamlMap map = YamlMap.of(node, path, problems).orElse(null);
        if (map == null) {
            return null;
        }
        map.allowOnly(CONNECTOR_KEYS);
        String name = Names.name(map, "name", "give the " + kind + " a unique name, e.g. name: my-" + kind, problems);
        String connectorHint = "set the connector to use, e.g. connector: " + (kind.equals("source") ? "postgres" : "local");
        String connector = map.string("connector", connectorHint);
        if (connector != null && connector.isBlank()) {
            problems.add(new ConfigProblem(map.path("connector"), connector, "must not be blank: " + connectorHint));
            connector = null;
        }
        Map<String, Object> config = config(map, problems);
        if (specs != null && connector != null && config != null) {
            validateSettings(specs, kind, connector, config, map, problems);
        }
        return problems.size() > before ? null : factory.create(name, connector, config);
    }

    /** The {@code config:} map as plain values; never quotes a value, any of which may be a secret. */
    private static Map<String, Object> config(YamlMap map, List<ConfigProblem> problems) {
        JsonNode config = map.get("config");
        if (config == null) {
            return Map.of();
        }
        if (!config.isObject()) {
            problems.add(new ConfigProblem(map.path("config"), null, "must be a map of connector settings, not "
                    + YamlMap.kind(config) + ", e.g. config: {host: db.example.com, port: 5432}"));
            return null;
        }
        return ConfigValues.fromYaml(config, map.path("config"), problems);
    }

    private static void validateSettings(Function<String, Optional<ConnectorSpec>> specs, String kind, String connector,
                                         Map<String, Object> config, YamlMap map, List<ConfigProblem> problems) {
        Optional<ConnectorSpec> spec = specs.apply(connector);
        if (spec.isEmpty()) {
            problems.add(new ConfigProblem(map.path("connector"), connector,
                    "unknown " + kind + " connector '" + connector + "'; use the name of an installed " + kind + " connector"));
            return;
        }
        try {
            spec.get().validate(config, map.path("config") + ".");
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(Objects.requireNonNull(b, "known names"));
        return union;
    }
}
