package dev.caravan.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.SourceConnector;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The connectors shipped with Caravan, found as {@code connector-catalog/<name>/metadata.yaml} on the class path
 * (name, kind, version, title, class). Adding a connector = a catalog folder + its package; nothing else changes.
 */
public final class ConnectorCatalog {
    static final String ROOT = "connector-catalog";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, ConnectorDefinition> sources;
    private final Map<String, ConnectorDefinition> destinations;

    private ConnectorCatalog(List<ConnectorDefinition> definitions) {
        Map<String, ConnectorDefinition> s = new TreeMap<>();
        Map<String, ConnectorDefinition> d = new TreeMap<>();
        for (ConnectorDefinition def : definitions) {
            (def.kind() == ConnectorKind.SOURCE ? s : d).put(def.name(), def);
        }
        this.sources = Collections.unmodifiableMap(s);
        this.destinations = Collections.unmodifiableMap(d);
    }

    public static ConnectorCatalog load() {
        ClassLoader loader = ConnectorCatalog.class.getClassLoader();
        List<ConnectorDefinition> definitions = new ArrayList<>();
        for (String folder : catalogFolders(loader)) {
            String resource = ROOT + "/" + folder + "/metadata.yaml";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in != null) {
                    definitions.add(definition(resource, YAML.readTree(in), loader));
                }
            } catch (IOException e) {
                throw CaravanException.system("Cannot read " + resource, e);
            }
        }
        return new ConnectorCatalog(definitions);
    }

    public Optional<SourceConnector> source(String connector) {
        return Optional.ofNullable(sources.get(connector)).map(d -> (SourceConnector) d.connector());
    }

    public Optional<DestinationConnector> destination(String connector) {
        return Optional.ofNullable(destinations.get(connector)).map(d -> (DestinationConnector) d.connector());
    }

    public Optional<ConnectorSpec> sourceSpec(String connector) {
        return Optional.ofNullable(sources.get(connector)).map(ConnectorDefinition::spec);
    }

    public Optional<ConnectorSpec> destinationSpec(String connector) {
        return Optional.ofNullable(destinations.get(connector)).map(ConnectorDefinition::spec);
    }

    public List<ConnectorDefinition> all() {
        List<ConnectorDefinition> all = new ArrayList<>(sources.values());
        all.addAll(destinations.values());
        return all;
    }

    private static ConnectorDefinition definition(String resource, JsonNode node, ClassLoader loader) {
        String name = text(node, "name", resource);
        String kindText = text(node, "kind", resource);
        ConnectorKind kind;
        try {
            kind = ConnectorKind.valueOf(kindText.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw CaravanException.config(resource + ": kind '" + kindText + "' must be source or destination");
        }
        String implementation = text(node, "class", resource);
        Object connector;
        try {
            connector = Class.forName(implementation, true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw CaravanException.system(resource + ": cannot create " + implementation, e);
        }
        ConnectorSpec spec;
        if (kind == ConnectorKind.SOURCE && connector instanceof SourceConnector source) {
            spec = source.spec();
        } else if (kind == ConnectorKind.DESTINATION && connector instanceof DestinationConnector destination) {
            spec = destination.spec();
        } else {
            throw CaravanException.config(resource + ": " + implementation + " is not a " + kindText + " connector");
        }
        if (!spec.name().equals(name) || spec.kind() != kind) {
            throw CaravanException.config(resource + ": name/kind " + name + "/" + kind + " differ from the connector's spec "
                    + spec.name() + "/" + spec.kind());
        }
        return new ConnectorDefinition(name, kind, text(node, "version", resource), node.path("title").asText(spec.title()),
                node.path("description").asText(""), implementation, connector, spec);
    }

    private static String text(JsonNode node, String key, String resource) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw CaravanException.config(resource + ": '" + key + "' is required");
        }
        return value.asText();
    }

    /** Folder names under connector-catalog/ on the class path, from a directory or from a jar. */
    private static List<String> catalogFolders(ClassLoader loader) {
        List<String> folders = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(ROOT))) {
                URI uri = url.toURI();
                if ("jar".equals(uri.getScheme())) {
                    try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                        folders.addAll(children(fs.getPath(ROOT)));
                    }
                } else {
                    folders.addAll(children(Path.of(uri)));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw CaravanException.system("Cannot list the connector catalog", e);
        }
        return folders.stream().distinct().sorted().toList();
    }

    private static List<String> children(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString().replace("/", ""))
                    .sorted(Comparator.naturalOrder()).toList();
        }
    }
}
