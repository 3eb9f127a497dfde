package dev.caravan.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.EmbeddedSecrets;

import dev.caravan.sync.SchemaPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
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
    private static final ConnectorSpec NO_OPTIONS = new ConnectorSpec("unknown", ConnectorSpec.ConnectorKind.SOURCE, "unknown", List.of());

    private ConfigWriter() {
    }

    /** Every setting as is, secrets included: for storage only, never for display. */
    public static String write(CaravanConfig config) {
        return write(config, UnaryOperator.identity());
    }

    /** Every setting as is, each connection's webhook passed through {@code webhooks} (the store seals one holding a secret). */
    public static String write(CaravanConfig config, UnaryOperator<String> webhooks) {
        return render(config, NO_SPECS, NO_SPECS, false, webhooks);
    }

    /**
     * Every setting its connector's spec flags as secret replaced by {@link ConnectorSpec#MASK}, and the secret parts of
     * every other text setting and webhook ({@link EmbeddedSecrets}): for display and export.
     */
    public static String writeMasked(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                     Function<String, Optional<ConnectorSpec>> destinationSpecs) {
        return render(config, Objects.requireNonNull(sourceSpecs, "sourceSpecs"), Objects.requireNonNull(destinationSpecs, "destinationSpecs"), true,
                EmbeddedSecrets::masked);
    }

    /** The document as plain maps and lists (the shape of the YAML format), secrets masked: for JSON APIs. */
    public static Map<String, Object> maskedTree(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                                 Function<String, Optional<ConnectorSpec>> destinationSpecs) {
        return tree(config, Objects.requireNonNull(sourceSpecs, "sourceSpecs"), Objects.requireNonNull(destinationSpecs, "destinationSpecs"), true,
                EmbeddedSecrets::masked);
    }

    private static Map<String, Object> tree(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                            Function<String, Optional<ConnectorSpec>> destinationSpecs, boolean masked,
                                            UnaryOperator<String> webhooks) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("sources", config.sources().stream()
                .map(s -> connectorEntry(s.name(), s.connector(), s.config(), sourceSpecs, masked)).toList());
        root.put("destinations", config.destinations().stream()
                .map(d -> connectorEntry(d.name(), d.connector(), d.config(), destinationSpecs, masked)).toList());
        root.put("connections", config.connections().stream().map(c -> connection(c, webhooks)).toList());
        return root;
    }

    private static String render(CaravanConfig config, Function<String, Optional<ConnectorSpec>> sourceSpecs,
                                 Function<String, Optional<ConnectorSpec>> destinationSpecs, boolean masked, UnaryOperator<String> webhooks) {
        Map<String, Object> root = tree(config, sourceSpecs, destinationSpecs, masked, webhooks);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render plain maps and lists as YAML", e);
        }
    }

    private static Map<String, Object> connectorEntry(String name, String connector, Map<String, Object> settings,
                                                      Function<String, Optional<ConnectorSpec>> specs, boolean masked) {
        Map<String, Object> shown = masked
                ? ConnectorConfig.maskedSettings(specs.apply(connector).orElse(NO_OPTIONS), settings) : new LinkedHashMap<>(settings);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("connector", connector);
        entry.put("config", shown);
        return entry;
    }

    private static Map<String, Object> connection(ConnectionConfig connection, UnaryOperator<String> webhooks) {
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
            entry.put("webhook", webhooks.apply(connection.webhook().toString()));
        }
        if (connection.schemaChanges() != SchemaPolicy.DEFAULT) {
            entry.put("schema_changes", connection.schemaChanges().configName());
        }
        if (connection.backfillNewColumns()) {
            entry.put("backfill_new_columns", true);
        }
        if (connection.flattenJsonDepth() > 0) {
            entry.put("flatten_json_depth", connection.flattenJsonDepth());
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
        if (stream.splitReads() != null) {
            entry.put("split_reads", stream.splitReads().configValue());
        }
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
