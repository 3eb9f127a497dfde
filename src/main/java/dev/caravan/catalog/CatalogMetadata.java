package dev.caravan.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A connector's catalog entry, {@code connector-catalog/<name>/metadata.yaml} and {@code spec.json}, read from the class
 * loader that holds the connector (the server's for built-ins, the plugin's own for a plugin) and checked against the
 * connector's code: same name and kind, a compatible {@code sdk_version}, and a {@code spec.json} equal to the spec the
 * connector's declared options render to.
 */
record CatalogMetadata(String name, ConnectorKind kind, String version, String title, String description, String sdkVersion) {
    static final String ROOT = "connector-catalog";
    static final Set<String> KEYS = Set.of("name", "kind", "version", "title", "description", "sdk_version");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The metadata of the connector whose code declares {@code spec}; a {@link LoadException} names every problem and its
     * fix. With {@code checkSpec} false the published spec.json is not compared with the rendered spec: for the built-in
     * connectors, whose files the build checks (SpecGoldenTest) and every start would otherwise parse and render again.
     */
    static CatalogMetadata of(ConnectorSpec spec, ClassLoader loader, boolean checkSpec) {
        String folder = ROOT + "/" + spec.name() + "/";
        JsonNode node = read(loader, folder + "metadata.yaml", YAML);
        List<String> problems = new ArrayList<>();
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                problems.add("unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String name = text(node, "name", problems);
        String kindText = text(node, "kind", problems);
        String version = text(node, "version", problems);
        String sdkVersion = text(node, "sdk_version", problems);
        if (node.path("sdk_version").isNumber()) {
            // YAML reads 1.10 as the number 1.1
            problems.add("sdk_version must be quoted text, e.g. sdk_version: \"" + dev.caravan.spi.ConnectorSdk.VERSION + "\"");
            sdkVersion = null;
        }
        if (name != null && !name.equals(spec.name())) {
            problems.add("name '" + name + "' differs from the connector's spec name '" + spec.name() + "'");
        }
        if (kindText != null && !kindText.toUpperCase(Locale.ROOT).equals(spec.kind().name())) {
            problems.add("kind '" + kindText + "' differs from the connector's kind '" + spec.kind().name().toLowerCase(Locale.ROOT)
                    + "' (source for a SourceConnector, destination for a DestinationConnector)");
        }
        if (sdkVersion != null) {
            SdkVersions.incompatibility(sdkVersion).ifPresent(problems::add);
        }
        if (checkSpec) {
            JsonNode rendered = rendered(spec);
            if (!read(loader, folder + "spec.json", JSON).equals(rendered)) {
                problems.add("spec.json differs from the options the connector declares; publish the spec rendered from the code "
                        + "(`caravan spec --render <plugin jar>` prints it): " + rendered);
            }
        }
        if (!problems.isEmpty()) {
            throw new LoadException(folder + "metadata.yaml: " + String.join("; ", problems));
        }
        return new CatalogMetadata(name, spec.kind(), version, node.path("title").asText(spec.title()),
                node.path("description").asText(""), sdkVersion);
    }

    /** The spec as read back from its text, so that numbers compare as parsed numbers do. */
    private static JsonNode rendered(ConnectorSpec spec) {
        try {
            return JSON.readTree(SpecJsonSchema.renderText(spec));
        } catch (IOException e) {
            throw new IllegalStateException("the rendered spec of " + spec.name() + " is not JSON", e);
        }
    }

    private static JsonNode read(ClassLoader loader, String resource, ObjectMapper mapper) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LoadException(resource + " is missing: a connector ships its catalog entry (metadata.yaml and spec.json, which "
                        + "`caravan spec --render <plugin jar>` prints) beside its code");
            }
            JsonNode node = mapper.readTree(in);
            if (node == null || !node.isObject()) {
                throw new LoadException(resource + " must be a mapping of keys to values");
            }
            return node;
        } catch (IOException e) {
            throw new LoadException(resource + " cannot be read: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String key, List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || !value.isValueNode() || value.asText().isBlank()) {
            problems.add("'" + key + "' is required");
            return null;
        }
        return value.asText();
    }

    /** A connector that cannot be loaded; the message names the file, the problem and the fix. */
    static final class LoadException extends RuntimeException {
        LoadException(String message) {
            super(message);
        }
    }
}
