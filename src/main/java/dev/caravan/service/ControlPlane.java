package dev.caravan.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.config.CaravanConfig;
import dev.caravan.config.ConfigWriter;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.config.DestinationConfig;
import dev.caravan.config.SourceConfig;
import dev.caravan.config.YamlDocument;
import dev.caravan.source.http.HttpSource;
import dev.caravan.source.http.ManifestTestRead;
import dev.caravan.spi.Catalog;
import dev.caravan.spi.CheckResult;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.state.StreamStateRepository;
import dev.caravan.state.StoredDefinition.Kind;
import dev.caravan.jobs.SyncCoordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Create, read, update and delete of sources, destinations and connections, plus apply/export of whole documents.
 * Every write goes through the configs-as-code validation, so the API, the CLI and YAML files share one set of rules
 * and messages. Secrets are masked in everything returned; a masked secret sent back keeps the stored value.
 */
public final class ControlPlane {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlPlane.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectorCatalog catalog;
    private final ConfigService configs;
    private final ConnectionRoutes routes;
    private final SyncCoordinator coordinator;
    private final StreamStateRepository states;

    public ControlPlane(ConnectorCatalog catalog, ConfigService configs, ConnectionRoutes routes, SyncCoordinator coordinator, StreamStateRepository states) {
        this.catalog = catalog;
        this.configs = configs;
        this.routes = routes;
        this.coordinator = coordinator;
        this.states = states;
    }

    /**
     * A test read of an HTTP API manifest given as YAML text (authoring; the web UI's connector builder), with this
     * server's TLS and proxy settings: the requests made (secrets masked) and the first records of {@code stream}.
     */
    public ManifestTestRead.Result testHttpManifest(String manifestYaml, Map<String, Object> config, String stream, int limit) {
        Path file;
        try {
            file = Files.createTempFile("caravan-manifest-", ".yaml");
            Files.writeString(file, manifestYaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest to a temporary file", e);
        }
        try {
            Map<String, Object> values = new LinkedHashMap<>(config);
            values.put("manifest", file.toString());
            ManifestTestRead.Result result = ManifestTestRead.run(HttpSource.SPEC.validate(values, "config.").withNetwork(configs.network()),
                    stream, limit);
            return result.error() == null ? result
                    : new ManifestTestRead.Result(result.requests(), result.fields(), result.records(), result.error().replace(file.toString(), "(manifest)"));
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
    }

    /** What a change did (or would do, in a dry run) to one definition. */
    public record Change(String kind, String name, String action) {
    }

    // ---- whole documents -------------------------------------------------------------------------------------

    /**
     * What applying a document did (or would do): the changes of the items applied, the problems of the items left out
     * (paths of the document as sent), and warnings that did not stop anything (e.g. a source that cannot be reached now).
     */
    public record ApplyResult(List<Change> changes, List<ConfigProblem> problems, List<ConfigProblem> warnings) {
        public ApplyResult {
            changes = List.copyOf(changes);
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Validates a whole document, reporting every problem by path, then stores and (re)generates the routes of its valid
     * items; with {@code dryRun} only reports. An invalid item is left out with its problems, as are the document's
     * connections using an invalid source or destination; with {@code atomic}, any problem stores nothing and is thrown.
     * A document nothing of which is valid (or whose problems belong to no item, e.g. its YAML syntax) is thrown too.
     */
    public ApplyResult apply(String yaml, String origin, boolean dryRun, boolean atomic) {
        if (atomic) {
            CaravanConfig document = configs.withStoredSecrets(configs.parse(yaml, origin));
            return store(document, dryRun, List.of());
        }
        DocumentItems items = new DocumentItems(YamlDocument.read(yaml, origin));
        List<ConfigProblem> problems = new ArrayList<>();
        while (true) {
            try {
                CaravanConfig document = configs.withStoredSecrets(configs.parse(items.render(), origin));
                return store(document, dryRun, problems);
            } catch (ConfigException e) {
                List<ConfigProblem> found = e.problems().stream().map(items::original).toList();
                boolean dropped = false;
                List<ConfigProblem> dependents = new ArrayList<>();
                for (ConfigProblem problem : found) {
                    Optional<Map.Entry<String, Integer>> item = DocumentItems.itemOf(problem.path());
                    if (item.isEmpty()) {
                        throw new ConfigException(concat(problems, found));
                    }
                    dropped |= items.drop(item.get().getKey(), item.get().getValue(), dependents);
                }
                problems.addAll(found);
                problems.addAll(dependents);
                if (!dropped || items.isEmpty()) {
                    throw new ConfigException(problems);
                }
            }
        }
    }

    private ApplyResult store(CaravanConfig document, boolean dryRun, List<ConfigProblem> problems) {
        List<Change> changes = diff(document);
        if (dryRun) {
            return new ApplyResult(changes, problems, configs.validate(document));
        }
        if (changes.stream().allMatch(change -> change.action().equals("unchanged"))) {
            // nothing to store, nor to check against the sources again; route files deleted or edited since are written again
            configs.validateStored(document);
            routes.restore(document.connections());
            return new ApplyResult(changes, problems, List.of());
        }
        List<ConfigProblem> warnings = configs.store(document);
        routes.write(document.connections());
        return new ApplyResult(changes, problems, warnings);
    }

    private static List<ConfigProblem> concat(List<ConfigProblem> a, List<ConfigProblem> b) {
        List<ConfigProblem> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The stored definitions as a configs-as-code document with secrets masked; one connection and its ends, or all. */
    public String export(Optional<String> connection) {
        CaravanConfig all = configs.current();
        CaravanConfig selected = connection.map(name -> {
            ConnectionConfig c = all.connection(name).orElseThrow(() -> ApiException.notFound("connection", name));
            return new CaravanConfig(all.source(c.source()).stream().toList(), all.destination(c.destination()).stream().toList(), List.of(c));
        }).orElse(all);
        return ConfigWriter.writeMasked(selected, catalog::sourceSpec, catalog::destinationSpec);
    }

    // ---- single definitions ----------------------------------------------------------------------------------

    public List<Map<String, Object>> list(Kind kind) {
        CaravanConfig all = configs.current();
        return entries(all, kind);
    }

    /** Whether a connection of this name has been applied. */
    public boolean exists(String connection) {
        return configs.find(Kind.CONNECTION, connection).isPresent();
    }

    public Map<String, Object> get(Kind kind, String name) {
        return entries(one(kind, name), kind).get(0);
    }

    /**
     * Creates ({@code name} null) or replaces the definition in {@code body} (the JSON form of one YAML entry).
     * Problems are reported with paths relative to the body.
     */
    public Map<String, Object> put(Kind kind, String name, JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw new ConfigException(new ConfigProblem("(body)", null, "send a JSON object describing the " + noun(kind)));
        }
        ObjectNode entry = object.deepCopy();
        if (name != null) {
            JsonNode given = entry.get("name");
            if (given != null && !given.asText().equals(name)) {
                throw new ConfigException(new ConfigProblem("name", given.asText(), "must equal the name in the path ('" + name + "'); renaming is not supported"));
            }
            entry.put("name", name);
            if (configs.find(kind, name).isEmpty()) {
                throw ApiException.notFound(noun(kind), name);
            }
        } else if (entry.hasNonNull("name") && configs.find(kind, entry.get("name").asText()).isPresent()) {
            throw ApiException.conflict(noun(kind) + " '" + entry.get("name").asText() + "' already exists; update it with PUT");
        }
        ObjectNode document = JSON.createObjectNode();
        document.putArray(section(kind)).add(entry);
        String prefix = section(kind) + "[0].";
        CaravanConfig parsed = relativeProblems(prefix, () -> configs.parse(document.toString(), "request body"));
        CaravanConfig withSecrets = configs.withStoredSecrets(parsed);
        relativeProblems(prefix, () -> {
            configs.store(withSecrets);
            return null;
        });
        routes.write(withSecrets.connections());
        return get(kind, entry.get("name").asText());
    }

    public void delete(Kind kind, String name) {
        CaravanConfig deleted = one(kind, name);
        if (kind == Kind.CONNECTION) {
            ConnectionConfig connection = deleted.connections().get(0);
            List<String> streams = java.util.stream.Stream.concat(connection.streams().stream().map(s -> s.name()),
                    states.streams(name).stream()).distinct().toList();
            // no job may start between the check that none runs and the removal of its routes, state and definition
            coordinator.whileIdle(name, "being deleted",
                    job -> ApiException.conflict("connection '" + name + "' is running job " + job + "; cancel it first"), () -> {
                        configs.delete(kind, name);
                        states.deleteConnection(name);
                        routes.delete(connection);
                        return null;
                    });
            // what the source holds for the connection's streams (a CDC replication slot) is freed once nothing reads them
            for (String problem : configs.release(connection.source(), streams)) {
                LOG.warn("Connection {} was deleted, but its source could not release {}; free it by hand (see the connector's docs)",
                        name, problem);
            }
            return;
        }
        List<String> users = configs.current().connections().stream()
                .filter(c -> (kind == Kind.SOURCE ? c.source() : c.destination()).equals(name)).map(ConnectionConfig::name).toList();
        if (!users.isEmpty()) {
            throw ApiException.conflict(noun(kind) + " '" + name + "' is used by connection(s) " + String.join(", ", users) + "; delete them first");
        }
        configs.delete(kind, name);
        routes.storeChanged();
    }

    /** Enables or disables the schedule of a connection (manual syncs keep working). */
    public Map<String, Object> setEnabled(String name, boolean enabled) {
        ConnectionConfig c = configs.connection(name).orElseThrow(() -> ApiException.notFound("connection", name));
        ConnectionConfig changed = c.withEnabled(enabled);
        CaravanConfig document = new CaravanConfig(List.of(), List.of(), List.of(changed));
        configs.store(document);
        routes.write(document.connections());
        return get(Kind.CONNECTION, name);
    }

    public CheckResult check(Kind kind, String name) {
        one(kind, name);
        return kind == Kind.SOURCE ? configs.checkSource(name) : configs.checkDestination(name);
    }

    public Catalog discover(String source) {
        one(Kind.SOURCE, source);
        return configs.discover(source);
    }

    /** Clears the state of the named streams (all when empty) so their next sync starts over in a new generation. */
    public List<String> reset(String connection, List<String> streams) {
        ConnectionConfig config = configs.connection(connection).orElseThrow(() -> ApiException.notFound("connection", connection));
        // A hand-written connection's streams are those its routes read now and those with state from earlier routes.
        List<String> known = config.generatedRoutes() ? config.streams().stream().map(s -> s.name()).toList()
                : java.util.stream.Stream.concat(coordinator.streams(connection).stream(), states.streams(connection).stream()).distinct().sorted().toList();
        // no job may start between the check that none runs and the end of the reset (it would read the old state)
        return coordinator.whileIdle(connection, "being reset",
                job -> ApiException.conflict("connection '" + connection + "' is running job " + job + "; reset it when the job has ended"), () -> {
                    List<ConfigProblem> problems = new ArrayList<>();
                    for (String stream : streams) {
                        if (!known.contains(stream)) {
                            problems.add(new ConfigProblem("streams", stream, "not a stream of connection " + connection + "; its streams are "
                                    + String.join(", ", known)));
                        }
                    }
                    if (!problems.isEmpty()) {
                        throw new ConfigException(problems);
                    }
                    List<String> reset = streams.isEmpty() ? known : streams;
                    reset.forEach(stream -> states.reset(connection, stream));
                    return reset;
                });
    }

    /**
     * Adds streams new in the source to a connection whose routes Caravan generates, each as {@code full_refresh_overwrite}
     * of all fields (schema_changes: propagate_all); streams it has already are left alone. Returns the streams added.
     */
    public List<String> addStreams(String name, List<String> streams) {
        ConnectionConfig c = configs.connection(name).orElseThrow(() -> ApiException.notFound("connection", name));
        if (!c.generatedRoutes()) {
            return List.of();
        }
        List<String> added = streams.stream().filter(stream -> c.stream(stream).isEmpty()).distinct().toList();
        if (added.isEmpty()) {
            return added;
        }
        List<dev.caravan.config.ConfiguredStream> all = new ArrayList<>(c.streams());
        added.forEach(stream -> all.add(dev.caravan.config.ConfiguredStream.of(stream)));
        CaravanConfig document = new CaravanConfig(List.of(), List.of(), List.of(c.withStreams(all)));
        configs.store(document);
        routes.write(document.connections());
        return added;
    }

    /**
     * Accepts the current source schema of the named streams (all when empty): their baseline is forgotten, so their next
     * sync takes the schema as it is then and reports no change (a breaking change, or a pause, is acted on this way).
     * Returns the streams whose baseline was forgotten.
     */
    public List<String> acceptSchema(String connection, List<String> streams) {
        configs.connection(connection).orElseThrow(() -> ApiException.notFound("connection", connection));
        return coordinator.whileIdle(connection, "accepting its schema changes",
                job -> ApiException.conflict("connection '" + connection + "' is running job " + job + "; accept its schema when the job has ended"),
                () -> states.forgetSchemas(connection, streams));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private CaravanConfig one(Kind kind, String name) {
        return switch (kind) {
            case SOURCE -> new CaravanConfig(List.of(configs.source(name).orElseThrow(() -> ApiException.notFound("source", name))), List.of(), List.of());
            case DESTINATION -> new CaravanConfig(List.of(),
                    List.of(configs.destination(name).orElseThrow(() -> ApiException.notFound("destination", name))), List.of());
            case CONNECTION -> new CaravanConfig(List.of(), List.of(),
                    List.of(configs.connection(name).orElseThrow(() -> ApiException.notFound("connection", name))));
        };
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(CaravanConfig config, Kind kind) {
        Map<String, Object> tree = ConfigWriter.maskedTree(config, catalog::sourceSpec, catalog::destinationSpec);
        return (List<Map<String, Object>>) tree.get(section(kind));
    }

    private List<Change> diff(CaravanConfig document) {
        List<Change> changes = new ArrayList<>();
        CaravanConfig current = configs.current();
        for (SourceConfig s : document.sources()) {
            changes.add(new Change("source", s.name(), action(current.source(s.name()).orElse(null), s)));
        }
        for (DestinationConfig d : document.destinations()) {
            changes.add(new Change("destination", d.name(), action(current.destination(d.name()).orElse(null), d)));
        }
        for (ConnectionConfig c : document.connections()) {
            changes.add(new Change("connection", c.name(), action(current.connection(c.name()).orElse(null), c)));
        }
        return changes;
    }

    private static String action(Object current, Object wanted) {
        return current == null ? "create" : Objects.equals(current, wanted) ? "unchanged" : "update";
    }

    private static <T> T relativeProblems(String prefix, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (ConfigException e) {
            throw new ConfigException(e.problems().stream()
                    .map(p -> new ConfigProblem(p.path().startsWith(prefix) ? p.path().substring(prefix.length()) : p.path(), p.value(), p.fix()))
                    .toList());
        }
    }

    static String section(Kind kind) {
        return switch (kind) {
            case SOURCE -> "sources";
            case DESTINATION -> "destinations";
            case CONNECTION -> "connections";
        };
    }

    static String noun(Kind kind) {
        return kind.name().toLowerCase();
    }
}
