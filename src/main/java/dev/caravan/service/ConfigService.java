package dev.caravan.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.config.CaravanConfig;
import dev.caravan.config.ConfigParser;
import dev.caravan.config.ConfigWriter;
import dev.caravan.config.ConfiguredStream;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.config.DestinationConfig;
import dev.caravan.config.OutputPaths;
import dev.caravan.config.SourceConfig;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CatalogStream;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.EmbeddedSecrets;
import dev.caravan.spi.NetworkSettings;
import dev.caravan.spi.SecretRegistry;
import dev.caravan.spi.SourceConnector;
import dev.caravan.spi.SyncMode;
import java.util.EnumSet;
import dev.caravan.state.DefinitionRepository;
import dev.caravan.state.SecretCipher;
import dev.caravan.state.StoredDefinition;
import dev.caravan.state.StoredDefinition.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Configs-as-code in the metadata store: validates a document completely (syntax, connector configs, streams against
 * what the source discovers, no two connections writing the same place) before storing any of its sources, destinations
 * and connections. Stored, every setting declared secret is encrypted, and so is every other text setting and webhook
 * that carries a secret inside ({@link EmbeddedSecrets}: a URL's password, a {@code password=} parameter...), whole.
 */
public final class ConfigService {
    private static final Pattern SEALED_SCALAR = Pattern.compile("\"(" + Pattern.quote(SecretCipher.PREFIX) + "[A-Za-z0-9+/=]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOTHING_TO_KEEP = "has a masked secret and no stored secret of the same kind (URL password, parameter "
            + "of the same name) to keep; send the real value";
    private final ConnectorCatalog catalog;
    private final DefinitionRepository definitions;
    private final ConfigParser parser;
    private final SecretCipher cipher;
    private final SecretRegistry secrets;
    /**
     * The last parse of each stored definition (kind and name → its body and what it parses to, secrets still sealed but a
     * connection's webhook, which must be opened to parse):
     * every job end and start looks up its connection, source and destination, and a YAML parse costs more than the job's
     * own bookkeeping. A definition whose stored body changed is parsed again; a source or destination still used by a
     * connection cannot be deleted, so the references a parse resolved stay valid.
     */
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    /** Stored destination name → its resolved location ({@link DestinationConnector#location}); cleared on every change. */
    private final Map<String, String> locations = new ConcurrentHashMap<>();
    /** Streams written by routes of hand-written route files (set by the server once its route directory exists). */
    private volatile Supplier<List<OutputPaths.Writer>> routeWriters = List::of;
    /** Incremented by every store and delete: lets caches of what is stored know they are stale. */
    private final AtomicLong version = new AtomicLong();
    private volatile NetworkSettings network = NetworkSettings.DEFAULT;

    private record Parsed(String body, CaravanConfig config) {
    }

    public ConfigService(ConnectorCatalog catalog, DefinitionRepository definitions, SecretCipher cipher, SecretRegistry secrets) {
        this.catalog = catalog;
        this.definitions = definitions;
        this.cipher = cipher;
        this.secrets = secrets;
        this.parser = new ConfigParser(catalog::sourceSpec, catalog::destinationSpec);
    }

    /** Parses a document, resolving references against the definitions already stored. */
    public CaravanConfig parse(String yaml, String origin) {
        return parser.parse(yaml, origin, names(Kind.SOURCE), names(Kind.DESTINATION));
    }

    /**
     * Checks what parsing cannot: every stream against what its source discovers and what its destination supports, and
     * that no stream writes where a stream of another connection (of the document or applied) writes. Returns the
     * warnings: a source that cannot be discovered now (unreachable, wrong password) does not stop a document, as
     * reachability is not validity; its connections' streams are then stored unchecked.
     */
    public List<ConfigProblem> validate(CaravanConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        checkStreams(config, problems, warnings);
        problems.addAll(outputConflicts(config));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return warnings;
    }

    /**
     * What {@link #validate} checks of a document stored exactly as it is: that no other writer (a hand-written route
     * file since) writes where its connections do. Its streams were checked against their sources when it was stored;
     * a sync discovers them again anyway.
     */
    public void validateStored(CaravanConfig config) {
        List<ConfigProblem> problems = outputConflicts(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Places {@code config}'s connections would write that another connection or a hand-written route file writes. */
    private List<ConfigProblem> outputConflicts(CaravanConfig config) {
        return config.connections().isEmpty() ? List.of()
                : OutputPaths.conflicts(config.connections(), appliedConnections(), locations(config), routeWriters.get());
    }

    /** Where the streams of hand-written route files write, for the check that no connection writes there too. */
    public void routeWriters(Supplier<List<OutputPaths.Writer>> writers) {
        this.routeWriters = writers;
    }

    /** Changes with every store and delete of a definition. */
    public long version() {
        return version.get();
    }

    /**
     * Destination name → resolved location, for the destinations of {@code document} and then the stored ones; null for
     * a name neither knows or whose configuration is invalid (reported elsewhere).
     */
    public Function<String, String> locations(CaravanConfig document) {
        return name -> document.destination(name).map(this::location).orElseGet(() -> location(name));
    }

    /** The resolved location of a stored destination, or null (unknown, or invalid config). */
    public String location(String destination) {
        String cached = locations.get(destination);
        if (cached != null) {
            return cached;
        }
        String resolved = destination(destination).map(this::location).orElse(null);
        if (resolved != null) {
            locations.put(destination, resolved);
        }
        return resolved;
    }

    private String location(DestinationConfig destination) {
        try {
            return catalog.destination(destination.connector()).map(connector -> connector.location(destinationConfig(destination))).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Validates the document completely and stores its definitions; returns what it holds. */
    public CaravanConfig store(String yaml, String origin) {
        CaravanConfig config = withStoredSecrets(parse(yaml, origin));
        store(config);
        return config;
    }

    /**
     * Validates a parsed document completely, then stores all of its definitions. One document at a time, so that two
     * applied together cannot both pass the check of where their connections write.
     */
    public synchronized List<ConfigProblem> store(CaravanConfig config) {
        List<ConfigProblem> warnings = validate(config);
        List<DefinitionRepository.Definition> all = new ArrayList<>();
        for (SourceConfig source : config.sources()) {
            all.add(new DefinitionRepository.Definition(Kind.SOURCE, source.name(), source.connector(),
                    single(new CaravanConfig(List.of(source), List.of(), List.of()))));
        }
        for (DestinationConfig destination : config.destinations()) {
            all.add(new DefinitionRepository.Definition(Kind.DESTINATION, destination.name(), destination.connector(),
                    single(new CaravanConfig(List.of(), List.of(destination), List.of()))));
        }
        for (ConnectionConfig connection : config.connections()) {
            all.add(new DefinitionRepository.Definition(Kind.CONNECTION, connection.name(), null,
                    single(new CaravanConfig(List.of(), List.of(), List.of(connection)))));
        }
        definitions.saveAll(all);
        changed();
        return warnings;
    }

    /**
     * The stored definitions were changed elsewhere (another cluster node): views built from them (the route owners,
     * the resolved locations) are rebuilt on their next use.
     */
    public void storeChanged() {
        changed();
    }

    private void changed() {
        locations.clear();
        version.incrementAndGet();
    }

    /**
     * The document with every secret sent masked (as exported) replaced by the stored value, so an exported document
     * applies unchanged; a masked secret with nothing stored is a problem.
     */
    public CaravanConfig withStoredSecrets(CaravanConfig config) {
        CaravanConfig unmasked = unmasked(config);
        rememberSecrets(unmasked);
        return unmasked;
    }

    /** Registers the secrets of everything stored, so logs and error messages mask them ({@link SecretRegistry}). */
    public void rememberSecrets() {
        rememberSecrets(current());
    }

    private void rememberSecrets(CaravanConfig config) {
        for (SourceConfig s : config.sources()) {
            remember(s.config(), secretNames(catalog.sourceSpec(s.connector())));
        }
        for (DestinationConfig d : config.destinations()) {
            remember(d.config(), secretNames(catalog.destinationSpec(d.connector())));
        }
        for (ConnectionConfig c : config.connections()) {
            if (c.webhook() != null) {
                secrets.registerEmbedded(c.webhook().toString());
            }
        }
    }

    private void remember(Map<String, Object> settings, List<String> declared) {
        settings.forEach((key, value) -> {
            if (value instanceof String text) {
                if (declared.contains(key)) {
                    secrets.register(text);
                } else {
                    secrets.registerEmbedded(text);
                }
            }
        });
    }

    private static List<String> secretNames(Optional<ConnectorSpec> spec) {
        return spec.map(ConnectorSpec::secretNames).orElse(List.of());
    }

    private CaravanConfig unmasked(CaravanConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<SourceConfig> sources = new ArrayList<>();
        for (int i = 0; i < config.sources().size(); i++) {
            SourceConfig s = config.sources().get(i);
            Map<String, Object> stored = source(s.name()).filter(old -> old.connector().equals(s.connector())).map(SourceConfig::config).orElse(Map.of());
            List<String> secrets = catalog.sourceSpec(s.connector()).map(ConnectorSpec::secretNames).orElse(List.of());
            sources.add(new SourceConfig(s.name(), s.connector(), unmask(s.config(), stored, secrets, "sources[" + i + "].config.", problems)));
        }
        List<DestinationConfig> destinations = new ArrayList<>();
        for (int i = 0; i < config.destinations().size(); i++) {
            DestinationConfig d = config.destinations().get(i);
            Map<String, Object> stored = destination(d.name()).filter(old -> old.connector().equals(d.connector())).map(DestinationConfig::config).orElse(Map.of());
            List<String> secrets = catalog.destinationSpec(d.connector()).map(ConnectorSpec::secretNames).orElse(List.of());
            destinations.add(new DestinationConfig(d.name(), d.connector(), unmask(d.config(), stored, secrets, "destinations[" + i + "].config.", problems)));
        }
        List<ConnectionConfig> connections = new ArrayList<>();
        for (int i = 0; i < config.connections().size(); i++) {
            connections.add(unmaskedWebhook(config.connections().get(i), "connections[" + i + "].webhook", problems));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new CaravanConfig(sources, destinations, connections);
    }

    /**
     * {@code given} with each masked secret replaced by the stored one: a setting declared secret sent as the mask takes
     * the stored value; a text setting whose embedded secrets were sent masked (a URL shown by GET, changed elsewhere)
     * gets them back from the stored value of the same setting, part by part.
     */
    private static Map<String, Object> unmask(Map<String, Object> given, Map<String, Object> stored, List<String> secrets, String path,
                                              List<ConfigProblem> problems) {
        Map<String, Object> result = new LinkedHashMap<>(given);
        given.forEach((key, value) -> {
            if (secrets.contains(key)) {
                if (ConnectorSpec.MASK.equals(value)) {
                    if (stored.containsKey(key)) {
                        result.put(key, stored.get(key));
                    } else {
                        problems.add(new ConfigProblem(path + key, ConnectorSpec.MASK, "is masked and nothing is stored to keep; send the real value"));
                    }
                }
            } else if (value instanceof String text && text.contains(ConnectorSpec.MASK)) {
                Optional<String> restored = EmbeddedSecrets.restore(text, stored.get(key) instanceof String old ? old : "");
                if (restored.isPresent()) {
                    result.put(key, restored.get());
                } else {
                    problems.add(new ConfigProblem(path + key, EmbeddedSecrets.masked(text), NOTHING_TO_KEEP));
                }
            }
        });
        return result;
    }

    private ConnectionConfig unmaskedWebhook(ConnectionConfig given, String path, List<ConfigProblem> problems) {
        if (given.webhook() == null || !given.webhook().toString().contains(ConnectorSpec.MASK)) {
            return given;
        }
        String stored = connection(given.name()).map(ConnectionConfig::webhook).map(URI::toString).orElse("");
        Optional<String> restored = EmbeddedSecrets.restore(given.webhook().toString(), stored);
        if (restored.isEmpty()) {
            problems.add(new ConfigProblem(path, EmbeddedSecrets.masked(given.webhook().toString()), NOTHING_TO_KEEP));
            return given;
        }
        return given.withWebhook(URI.create(restored.get()));
    }

    public Optional<StoredDefinition> find(Kind kind, String name) {
        return definitions.find(kind, name);
    }

    public void delete(Kind kind, String name) {
        definitions.delete(kind, name);
        parsed.remove(kind + ":" + name);
        changed();
    }

    public CheckResult checkSource(String name) {
        SourceConfig source = source(name).orElseThrow();
        try {
            return catalog.source(source.connector()).orElseThrow().check(sourceConfig(source));
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    public CheckResult checkDestination(String name) {
        DestinationConfig destination = destination(name).orElseThrow();
        try {
            return catalog.destination(destination.connector()).orElseThrow().check(destinationConfig(destination));
        } catch (ConfigException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    /**
     * Tells the connector of source {@code sourceName} that {@code streams} are no longer read (their connection is
     * deleted), so it frees what it holds for them; returns one message per stream it could not release.
     */
    public List<String> release(String sourceName, List<String> streams) {
        List<String> problems = new ArrayList<>();
        Optional<SourceConfig> source = source(sourceName);
        Optional<dev.caravan.spi.SourceConnector> connector = source.flatMap(s -> catalog.source(s.connector()));
        if (connector.isEmpty()) {
            return problems;
        }
        for (String stream : streams) {
            try {
                connector.get().release(sourceConfig(source.get()), stream);
            } catch (RuntimeException e) {
                problems.add("stream " + stream + " of source " + sourceName + ": " + e.getMessage());
            }
        }
        return problems;
    }

    public Catalog discover(String sourceName) {
        return discover(source(sourceName).orElseThrow());
    }

    public Optional<SourceConfig> source(String name) {
        return definitions.find(Kind.SOURCE, name).flatMap(d -> stored(d).source(name));
    }

    public Optional<DestinationConfig> destination(String name) {
        return definitions.find(Kind.DESTINATION, name).flatMap(d -> stored(d).destination(name));
    }

    public Optional<ConnectionConfig> connection(String name) {
        return definitions.find(Kind.CONNECTION, name).flatMap(d -> stored(d).connection(name));
    }

    /** Everything applied so far, secrets included (for internal use; export masks them). */
    public CaravanConfig current() {
        List<SourceConfig> sources = definitions.list(Kind.SOURCE).stream().map(d -> stored(d).sources().get(0)).toList();
        List<DestinationConfig> destinations = definitions.list(Kind.DESTINATION).stream().map(d -> stored(d).destinations().get(0)).toList();
        List<ConnectionConfig> connections = definitions.list(Kind.CONNECTION).stream().map(d -> stored(d).connections().get(0)).toList();
        return new CaravanConfig(sources, destinations, connections);
    }

    /** Validated connector config of a source, its problems named under {@code sources.<name>.config.}, with the network settings. */
    ConnectorConfig sourceConfig(SourceConfig source) {
        return catalog.sourceSpec(source.connector()).orElseThrow(() -> unknownConnector("sources." + source.name(), source.connector()))
                .validate(source.config(), "sources." + source.name() + ".config.").withNetwork(network);
    }

    /** The TLS context and proxy sources get from now on (the server sets Camel's once its context runs). */
    public void network(NetworkSettings settings) {
        this.network = java.util.Objects.requireNonNull(settings, "settings");
    }

    /** The network settings sources get. */
    public NetworkSettings network() {
        return network;
    }

    ConnectorConfig destinationConfig(DestinationConfig destination) {
        return catalog.destinationSpec(destination.connector())
                .orElseThrow(() -> unknownConnector("destinations." + destination.name(), destination.connector()))
                .validate(destination.config(), "destinations." + destination.name() + ".config.");
    }

    private ConfigException unknownConnector(String path, String connector) {
        return new ConfigException(new ConfigProblem(path + ".connector", connector, "no such connector in the catalog"));
    }

    /** Every configured stream must exist in what its source discovers, with its fields, cursor and key. */
    private void checkStreams(CaravanConfig config, List<ConfigProblem> problems, List<ConfigProblem> warnings) {
        Map<String, Catalog> discovered = new HashMap<>();
        for (int c = 0; c < config.connections().size(); c++) {
            ConnectionConfig connection = config.connections().get(c);
            String at = "connections[" + c + "]";
            SourceConfig source = config.source(connection.source()).or(() -> source(connection.source())).orElse(null);
            if (source == null) {
                continue; // reported by the parser
            }
            Catalog catalogOfSource;
            try {
                catalogOfSource = discovered.computeIfAbsent(source.name(), n -> discover(source));
            } catch (RuntimeException e) {
                warnings.add(new ConfigProblem(at + ".source", source.name(), "cannot be discovered now (" + e.getMessage() + "); the streams of "
                        + "connection " + connection.name() + " were not checked against it: fix the source (caravan check " + source.name() + ")"));
                continue;
            }
            Set<SyncMode> writable = config.destination(connection.destination()).or(() -> destination(connection.destination()))
                    .flatMap(d -> catalog.destination(d.connector())).map(DestinationConnector::supportedSyncModes).orElse(EnumSet.allOf(SyncMode.class));
            for (int s = 0; s < connection.streams().size(); s++) {
                ConfiguredStream stream = connection.streams().get(s);
                checkStream(stream, catalogOfSource, at + ".streams[" + s + "]", problems);
                if (!writable.contains(stream.syncMode())) {
                    problems.add(new ConfigProblem(at + ".streams[" + s + "].sync_mode", stream.syncMode().configName(), "destination "
                            + connection.destination() + " does not support it yet; use one of "
                            + writable.stream().map(SyncMode::configName).collect(Collectors.joining(", "))));
                }
            }
        }
    }

    /** The connections applied so far (connections hold no secrets). */
    private List<ConnectionConfig> appliedConnections() {
        Set<String> sources = names(Kind.SOURCE);
        Set<String> destinations = names(Kind.DESTINATION);
        return definitions.list(Kind.CONNECTION).stream()
                .map(d -> parser.parse(opened(d.body()), "stored connection " + d.name(), sources, destinations).connections().get(0)).toList();
    }

    private Catalog discover(SourceConfig source) {
        SourceConnector connector = catalog.source(source.connector()).orElseThrow(() -> unknownConnector("sources." + source.name(), source.connector()));
        return connector.discover(sourceConfig(source));
    }

    private static void checkStream(ConfiguredStream stream, Catalog catalog, String at, List<ConfigProblem> problems) {
        Optional<CatalogStream> found = catalog.stream(stream.name());
        if (found.isEmpty()) {
            problems.add(new ConfigProblem(at + ".name", stream.name(), "the source has no such stream; it has " + String.join(", ", catalog.streamNames())));
            return;
        }
        CatalogStream offered = found.get();
        List<String> known = offered.schema().names();
        for (String field : stream.fields()) {
            if (!known.contains(field)) {
                problems.add(new ConfigProblem(at + ".fields", field, "no such field in stream " + stream.name() + "; fields are " + String.join(", ", known)));
            }
        }
        for (String key : stream.primaryKey()) {
            if (!known.contains(key)) {
                problems.add(new ConfigProblem(at + ".primary_key", key, "no such field in stream " + stream.name() + "; fields are " + String.join(", ", known)));
            }
        }
        if (stream.cursorField() != null && stream.syncMode().incremental() && !offered.cursorCandidates().contains(stream.cursorField())) {
            problems.add(new ConfigProblem(at + ".cursor_field", stream.cursorField(),
                    "cannot be used as cursor of stream " + stream.name() + "; use one of " + String.join(", ", offered.cursorCandidates())));
        }
        if (!offered.supportedSyncModes().contains(stream.syncMode())) {
            problems.add(new ConfigProblem(at + ".sync_mode", stream.syncMode().configName(), "stream " + stream.name() + " supports "
                    + offered.supportedSyncModes().stream().map(m -> m.configName()).collect(Collectors.joining(", "))));
        }
    }

    private Set<String> names(Kind kind) {
        return definitions.list(kind).stream().map(StoredDefinition::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The text stored for a definition: its YAML with every secret value, and every value with a secret inside, encrypted. */
    private String single(CaravanConfig config) {
        return ConfigWriter.write(withSecrets(config, (text, declared) -> declared || EmbeddedSecrets.contains(text) ? cipher.encrypt(text) : text),
                webhook -> EmbeddedSecrets.contains(webhook) ? cipher.encrypt(webhook) : webhook);
    }

    /**
     * A stored body with its sealed quoted scalars opened: a connection's webhook must be a URL to parse (sources and
     * destinations are opened after parsing, setting by setting).
     */
    private String opened(String body) {
        if (!body.contains(SecretCipher.PREFIX)) {
            return body;
        }
        return SEALED_SCALAR.matcher(body).replaceAll(sealed -> Matcher.quoteReplacement(quoted(cipher.decrypt(sealed.group(1)))));
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text); // a JSON string is a valid YAML double-quoted scalar
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always renders as JSON", e);
        }
    }

    private CaravanConfig stored(StoredDefinition definition) {
        String key = definition.kind() + ":" + definition.name();
        Parsed last = parsed.get(key);
        CaravanConfig sealed;
        if (last != null && last.body().equals(definition.body())) {
            sealed = last.config();
        } else {
            String body = definition.kind() == Kind.CONNECTION ? opened(definition.body()) : definition.body();
            sealed = parser.parse(body, "stored " + definition.kind().name().toLowerCase() + " " + definition.name(),
                    names(Kind.SOURCE), names(Kind.DESTINATION));
            parsed.put(key, new Parsed(definition.body(), sealed));
        }
        return withSecrets(sealed, (text, declared) -> cipher.decrypt(text));
    }

    /** What to do with one text setting: its value and whether its option is declared secret. */
    private interface SettingTransform {
        String apply(String value, boolean declaredSecret);
    }

    /** The document with every text setting of its sources and destinations passed through {@code transform}. */
    private CaravanConfig withSecrets(CaravanConfig config, SettingTransform transform) {
        List<SourceConfig> sources = config.sources().stream().map(s -> new SourceConfig(s.name(), s.connector(),
                transformed(s.config(), catalog.sourceSpec(s.connector()), transform))).toList();
        List<DestinationConfig> destinations = config.destinations().stream().map(d -> new DestinationConfig(d.name(), d.connector(),
                transformed(d.config(), catalog.destinationSpec(d.connector()), transform))).toList();
        return new CaravanConfig(sources, destinations, config.connections());
    }

    private static Map<String, Object> transformed(Map<String, Object> config, Optional<ConnectorSpec> spec, SettingTransform transform) {
        List<String> declared = secretNames(spec);
        Map<String, Object> result = new LinkedHashMap<>(config);
        result.replaceAll((key, value) -> value instanceof String text ? transform.apply(text, declared.contains(key)) : value);
        return result;
    }
}
