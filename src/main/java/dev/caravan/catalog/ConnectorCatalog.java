package dev.caravan.catalog;

import dev.caravan.source.http.HttpSource;
import dev.caravan.spi.ConnectorSdk;
import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.SourceConnector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector registry. Every connector gets in the same way ({@link ConnectorLoader}: {@link java.util.ServiceLoader}
 * plus its {@code connector-catalog/<name>/} entry, the same checks, a compatible SDK version): the built-in ones from the
 * server's own class path, each plugin from its jar or folder in a plugin folder, in its own {@link PluginClassLoader}.
 * <p>
 * A plugin that fails to load (a missing entry, an incompatible SDK, a class that cannot be created, a connector name
 * already taken) is reported ({@link #problems()}, the log) and skipped as a whole; the rest of the catalog is unaffected.
 * {@link #scan()} loads plugins added to a plugin folder since the last scan once their files have stopped changing, and
 * retries a broken plugin when its files change. A plugin changed or removed after it was loaded keeps running as loaded
 * until the server restarts (reported once).
 */
public final class ConnectorCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorCatalog.class);
    /** The version shown for a manifest plugin: the manifest itself has none. */
    static final String MANIFEST_VERSION = "manifest";

    private final PluginFolders plugins;
    private final ClassLoader host;
    /** Name -> connector; replaced as a whole so readers never lock. */
    private volatile Map<String, ConnectorDefinition> connectors = Map.of();
    private volatile List<CatalogProblem> problems = List.of();
    private final Map<String, List<CatalogProblem>> problemsByOrigin = new LinkedHashMap<>();
    private final List<PluginClassLoader> loaders = new ArrayList<>();

    private ConnectorCatalog(List<Path> pluginFolders, ClassLoader host) {
        this.plugins = new PluginFolders(pluginFolders);
        this.host = host;
    }

    /** The built-in connectors only (no plugin folder). */
    public static ConnectorCatalog load() {
        return load(List.of());
    }

    /** The built-in connectors and every plugin now in {@code pluginFolders} (a folder that does not exist holds none). */
    public static ConnectorCatalog load(List<Path> pluginFolders) {
        ConnectorCatalog catalog = new ConnectorCatalog(pluginFolders, ConnectorCatalog.class.getClassLoader());
        synchronized (catalog) {
            catalog.register(ConnectorDefinition.BUILT_IN, ConnectorLoader.load(catalog.host, ConnectorDefinition.BUILT_IN), false);
            catalog.plugins.all().forEach(catalog::loadPlugin);
        }
        return catalog;
    }

    /**
     * Loads the plugins added to (or, if they had failed, changed in) the plugin folders since the last scan, once a scan
     * finds their files unchanged since the one before ({@link PluginFolders}). Returns the connectors added.
     */
    public synchronized List<ConnectorDefinition> scan() {
        List<ConnectorDefinition> added = new ArrayList<>();
        for (PluginCandidate candidate : plugins.due()) {
            added.addAll(loadPlugin(candidate));
        }
        if (!plugins.forgotten().isEmpty()) {
            plugins.forgotten().forEach(path -> problemsByOrigin.remove(path.toString()));
            publishProblems();
        }
        return added;
    }

    /**
     * The {@code spec.json} of each connector in the plugin at {@code plugin} (a jar, or a folder of jars), rendered from
     * the options its code declares, by connector name: what an author publishes beside {@code metadata.yaml}. Nothing
     * is checked or registered.
     */
    public static Map<String, String> renderSpecs(Path plugin) {
        PluginCandidate candidate = PluginCandidate.of(plugin);
        Map<String, String> specs = new TreeMap<>();
        try (PluginClassLoader loader = new PluginClassLoader(plugin.toString(), candidate.urls(), ConnectorCatalog.class.getClassLoader())) {
            ServiceLoader.load(SourceConnector.class, loader).forEach(c -> specs.put(c.spec().name(), SpecJsonSchema.renderText(c.spec())));
            ServiceLoader.load(DestinationConnector.class, loader).forEach(c -> specs.put(c.spec().name(), SpecJsonSchema.renderText(c.spec())));
        } catch (IOException e) {
            LOG.debug("Closing the class loader of {} failed", plugin, e);
        }
        return specs;
    }

    public Optional<SourceConnector> source(String connector) {
        return definition(connector, ConnectorKind.SOURCE).map(d -> (SourceConnector) d.connector());
    }

    public Optional<DestinationConnector> destination(String connector) {
        return definition(connector, ConnectorKind.DESTINATION).map(d -> (DestinationConnector) d.connector());
    }

    public Optional<ConnectorSpec> sourceSpec(String connector) {
        return definition(connector, ConnectorKind.SOURCE).map(ConnectorDefinition::spec);
    }

    public Optional<ConnectorSpec> destinationSpec(String connector) {
        return definition(connector, ConnectorKind.DESTINATION).map(ConnectorDefinition::spec);
    }

    public Optional<ConnectorDefinition> definition(String name) {
        return Optional.ofNullable(connectors.get(name));
    }

    /** Sources then destinations, each by name. */
    public List<ConnectorDefinition> all() {
        return connectors.values().stream()
                .sorted(Comparator.comparing(ConnectorDefinition::kind).thenComparing(ConnectorDefinition::name)).toList();
    }

    /** The connectors and plugins that could not be loaded, with the reason and the fix. */
    public List<CatalogProblem> problems() {
        return problems;
    }

    public List<Path> pluginFolders() {
        return plugins.folders();
    }

    private Optional<ConnectorDefinition> definition(String name, ConnectorKind kind) {
        return definition(name).filter(d -> d.kind() == kind);
    }

    private List<ConnectorDefinition> loadPlugin(PluginCandidate candidate) {
        if (candidate.isManifest()) {
            return loadManifest(candidate);
        }
        String origin = candidate.path().toString();
        PluginClassLoader loader = new PluginClassLoader(origin, candidate.urls(), host);
        PluginContext context = new PluginContext(loader);
        ConnectorLoader.Loaded loaded;
        try {
            ConnectorLoader.Loaded found = context.call(() -> ConnectorLoader.load(loader, origin));
            loaded = new ConnectorLoader.Loaded(found.definitions().stream().map(d -> d.withConnector(context.wrap(d.connector()))).toList(),
                    found.problems());
        } catch (RuntimeException | LinkageError e) {
            loaded = new ConnectorLoader.Loaded(List.of(), List.of(new CatalogProblem(origin, ConnectorLoader.describe(e))));
        }
        if (loaded.definitions().isEmpty() && loaded.problems().isEmpty()) {
            loaded = new ConnectorLoader.Loaded(List.of(), List.of(new CatalogProblem(origin, "no connector found: a plugin lists its "
                    + "implementation in META-INF/services/dev.caravan.spi.SourceConnector (or ...DestinationConnector) beside "
                    + "connector-catalog/<name>/metadata.yaml and spec.json")));
        }
        List<ConnectorDefinition> added = register(origin, loaded, true);
        plugins.tried(candidate, !added.isEmpty());
        if (added.isEmpty()) {
            close(loader);
        } else {
            loaders.add(loader);
        }
        return added;
    }

    /**
     * A manifest plugin: a source connector named after its folder, running the folder's {@code manifest.yaml} with the
     * built-in HTTP source (no code, no class loader of its own). A manifest that does not load is a problem naming its
     * file, line and field.
     */
    private List<ConnectorDefinition> loadManifest(PluginCandidate candidate) {
        String origin = candidate.path().toString();
        String name = candidate.path().getFileName().toString();
        ConnectorLoader.Loaded loaded;
        if (!name.matches("[a-z][a-z0-9_-]{0,63}")) {
            loaded = new ConnectorLoader.Loaded(List.of(), List.of(new CatalogProblem(origin, "the folder name '" + name + "' is the connector's "
                    + "name: use 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter")));
        } else {
            try {
                String title = "HTTP API " + name + " (manifest)";
                HttpSource source = HttpSource.bound(name, title, candidate.manifest());
                loaded = new ConnectorLoader.Loaded(List.of(new ConnectorDefinition(name, ConnectorKind.SOURCE, MANIFEST_VERSION, title,
                        "Declarative HTTP API source running " + candidate.manifest(), HttpSource.class.getName(), source, source.spec(),
                        ConnectorSdk.VERSION, origin)), List.of());
            } catch (RuntimeException e) {
                loaded = new ConnectorLoader.Loaded(List.of(), List.of(new CatalogProblem(origin, e.getMessage())));
            }
        }
        List<ConnectorDefinition> added = register(origin, loaded, true);
        plugins.tried(candidate, !added.isEmpty());
        return added;
    }

    /** Registers what loaded; a plugin ({@code wholeOrNothing}) with any problem registers nothing. */
    private List<ConnectorDefinition> register(String origin, ConnectorLoader.Loaded loaded, boolean wholeOrNothing) {
        List<CatalogProblem> found = new ArrayList<>(loaded.problems());
        Map<String, ConnectorDefinition> next = new LinkedHashMap<>(connectors);
        List<ConnectorDefinition> accepted = new ArrayList<>();
        for (ConnectorDefinition definition : loaded.definitions()) {
            ConnectorDefinition taken = next.get(definition.name());
            if (taken != null) {
                found.add(new CatalogProblem(origin, "connector '" + definition.name() + "' is already provided by " + taken.origin()
                        + " (version " + taken.version() + "); remove one of the two"));
            } else {
                next.put(definition.name(), definition);
                accepted.add(definition);
            }
        }
        if (wholeOrNothing && !found.isEmpty()) {
            accepted.clear();
        } else {
            connectors = Map.copyOf(next);
        }
        if (found.isEmpty()) {
            problemsByOrigin.remove(origin);
        } else {
            problemsByOrigin.put(origin, found);
            found.forEach(p -> LOG.error("Connector not loaded, skipped: {}", p));
        }
        publishProblems();
        if (!accepted.isEmpty() && !ConnectorDefinition.BUILT_IN.equals(origin)) {
            LOG.info("Plugin {} loaded: {}", origin, accepted.stream().map(d -> d.kind().name().toLowerCase() + " " + d.name() + " "
                    + d.version() + " (SDK " + d.sdkVersion() + ")").toList());
        }
        return accepted;
    }

    private void publishProblems() {
        problems = problemsByOrigin.values().stream().flatMap(List::stream).toList();
    }

    private static void close(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            LOG.debug("Closing the class loader of {} failed", loader.getName(), e);
        }
    }

    /** Closes the plugins' class loaders (their jar files); the connectors must not be used afterwards. */
    @Override
    public synchronized void close() {
        loaders.forEach(ConnectorCatalog::close);
        loaders.clear();
    }
}
