package dev.caravan.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.caravan.spi.ConnectorSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Renders a {@link CaravanConfig} as connections-as-code YAML: keys in the documented order, every setting written
 * explicitly (defaults included, {@code cursor_field} only when set), connector settings in their own order.
 * {@code ConfigParser.parse(write(config))} equals {@code config}; a masked document parses too, with the mask as value.
 */
public final class ConfigWriter {
    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().stringQuotingChecker(new QuoteUnlessPlain()).build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private static final Function<String, Optional<ConnectorSpec>> NO_SPECS = connector -> Optional.empty();

    private ConfigWriter() {
    }

    /** Every setting as is, secrets included: for storage only, never for display. */
    public static String write(CaravanConfig config) {
        return render(config, NO_SPECS, NO_SPECS);
    }

    /**
     * Every setting its connector's spec flags as secret replaced by {@link ConnectorSpec#MASK}: for display and export.
     * Settings of a connector without a spec are written as is.
     */
    public static String writeMasked(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                     Function<String, Optional<ConnectorSpec>> destinationSpecs) {
        return render(config, Objects.requireNonNull(sourceSpecs, "sourceSpecs"), Objects.requireNonNull(destinationSpecs, "destinationSpecs"));
    }

    /** The document as plain maps and lists (the shape of the YAML format), secrets masked: for JSON APIs. */
    public static Map<String, Object> maskedTree(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                                 Function<String, Optional<ConnectorSpec>> destinationSpecs) {
        return tree(config, Objects.requireNonNull(sourceSpecs, "sourceSpecs"), Objects.requireNonNull(destinationSpecs, "destinationSpecs"));
    }

    private static Map<String, Object> tree(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                            Function<String, Optional<ConnectorSpec>> destinationSpecs) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("sources", config.sources().stream()
                .map(s -> connectorEntry(s.name(), s.connector(), s.config(), sourceSpecs)).toList());
        root.put("destinations", config.destinations().stream()
                .map(d -> connectorEntry(d.name(), d.connector(), d.config(), destinationSpecs)).toList());
        root.put("connections", config.connections().stream().map(ConfigWriter::connection).toList());
        return root;
    }

    private static String render(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                 Function<String, Optional<ConnectorSpec>> destinationSpecs) {
        Map<String, Object> root = tree(config, sourceSpecs, destinationSpecs);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render plain maps and lists as YAML", e);
        }
    }

    private static Map<String, Object> connectorEntry(String name, String connector, Map<String, Object> settings,
                                                      Function<String, Optional<ConnectorSpec>> specs) {
        Map<String, Object> masked = new LinkedHashMap<>(settings);
        specs.apply(connector).ifPresent(spec -> spec.secretNames()
                .forEach(secret -> masked.computeIfPresent(secret, (key, value) -> ConnectorSpec.MASK)));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("connector", connector);
        entry.put("config", masked);
        return entry;
    }

    private static Map<String, Object> connection(ConnectionConfig connection) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", connection.name());
        entry.put("source", connection.source());
        entry.put("destination", connection.destination());
        entry.put("namespace", connection.namespace());
        entry.put("prefix", connection.prefix());
        entry.put("enabled", connection.enabled());
        entry.put("schedule", connection.schedule().toYamlValue());
        if (connection.generatedRoutes()) {
            entry.put("streams", connection.streams().stream().map(ConfigWriter::stream).toList());
        } else {
            entry.put("routes", connection.routes().configName());
        }
        if (connection.webhook() != null) {
            entry.put("webhook", connection.webhook().toString());
        }
        return entry;
    }

    private static Map<String, Object> stream(ConfiguredStream stream) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", stream.name());
        entry.put("sync_mode", stream.syncMode().configName());
        if (stream.cursorField() != null) {
            entry.put("cursor_field", stream.cursorField());
        }
        entry.put("primary_key", stream.primaryKey());
        entry.put("fields", stream.fields());
        return entry;
    }

    /**
     * Leaves a string unquoted only when it cannot read back as anything else: a letter or '_' first, then letters,
     * digits, '_', '.', '/' or '-', and no YAML keyword (true, no, null...); or an interval such as 90m. Jackson's
     * default would leave values such as 0x1F, 1e3 or .nan plain, which read back as numbers.
     */
    private static final class QuoteUnlessPlain extends StringQuotingChecker {
        private static final long serialVersionUID = 1L;
        private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*|[0-9]+[smhd]");

        @Override
        public boolean needToQuoteName(String name) {
            return needToQuoteValue(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return !PLAIN.matcher(value).matches() || isReservedKeyword(value);
        }
    }
}
