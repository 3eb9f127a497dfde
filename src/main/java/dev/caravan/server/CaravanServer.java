package dev.caravan.server;

import dev.caravan.camel.CaravanRuntime;
import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.config.CaravanConfig;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.routes.RouteDirectoryWatcher;
import dev.caravan.routes.RouteFileStatus;
import dev.caravan.routes.RouteGenerator;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.spi.ErrorType;
import dev.caravan.state.DefinitionRepository;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository;
import dev.caravan.state.StateDatabase;
import dev.caravan.state.StreamStateRepository;
import dev.caravan.sync.CaravanSyncComponent;
import dev.caravan.sync.SyncCoordinator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Caravan server: a Camel Main application with the metadata store, the connector catalog, the Caravan components,
 * the route directory watcher and the sync coordinator. {@link #start} returns a running server; {@link #close} stops it.
 */
public final class CaravanServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanServer.class);

    private final ServerSettings settings;
    private final StateDatabase database;
    private final Main main;
    private final RouteDirectoryWatcher watcher;
    private final ConfigService configs;
    private final JobRepository jobs;
    private final StreamStateRepository states;
    private final SyncCoordinator coordinator;
    private final RouteGenerator generator = new RouteGenerator();

    private CaravanServer(ServerSettings settings, StateDatabase database, Main main, RouteDirectoryWatcher watcher, ConfigService configs,
                          JobRepository jobs, StreamStateRepository states, SyncCoordinator coordinator) {
        this.settings = settings;
        this.database = database;
        this.main = main;
        this.watcher = watcher;
        this.configs = configs;
        this.jobs = jobs;
        this.states = states;
        this.coordinator = coordinator;
    }

    public static CaravanServer start(ServerSettings settings) {
        long started = System.nanoTime();
        ConnectorCatalog catalog = ConnectorCatalog.load();
        StateDatabase database = StateDatabase.open(settings.stateUrl(), settings.stateUser(), settings.statePassword());
        Main main = null;
        try {
            DefinitionRepository definitions = new DefinitionRepository(database.dataSource());
            JobRepository jobs = new JobRepository(database.dataSource());
            StreamStateRepository states = new StreamStateRepository(database.dataSource());
            int interrupted = jobs.markRunningAsInterrupted();
            if (interrupted > 0) {
                LOG.warn("{} job(s) were running when the server last stopped; marked INTERRUPTED. Their streams resume from the last committed state.", interrupted);
            }
            ConfigService configs = new ConfigService(catalog, definitions);
            main = new Main();
            main.bind("caravanRuntime", new CaravanRuntime(new StoreConnectorResolver(catalog, configs), states));
            main.start();
            CamelContext context = main.getCamelContext();
            SyncCoordinator coordinator = new SyncCoordinator(context, jobs);
            context.addComponent("caravan-sync", new CaravanSyncComponent(coordinator));
            RouteDirectoryWatcher watcher = new RouteDirectoryWatcher(context, settings.routesDirectory(), settings.routesScanInterval());
            watcher.start();
            LOG.info("Caravan started in {} ms: state {}, routes {}, connectors {}", (System.nanoTime() - started) / 1_000_000,
                    settings.stateUrl(), settings.routesDirectory(), catalog.all().stream().map(d -> d.name() + " " + d.version()).toList());
            return new CaravanServer(settings, database, main, watcher, configs, jobs, states, coordinator);
        } catch (IOException e) {
            stopQuietly(main, database);
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            stopQuietly(main, database);
            throw e instanceof RuntimeException re ? re : new CaravanException(ErrorType.SYSTEM, "Server start failed: " + e.getMessage(), e);
        }
    }

    /**
     * Validates and stores a configs-as-code document, then writes each connection's route file and waits until the route
     * directory has loaded it. Nothing is stored when the document has a problem.
     */
    public CaravanConfig apply(String yaml, String origin) {
        CaravanConfig config = configs.store(yaml, origin);
        List<Path> files = new ArrayList<>();
        for (ConnectionConfig connection : config.connections()) {
            files.add(generator.write(settings.routesDirectory(), connection));
        }
        Map<String, RouteFileStatus> statuses = watcher.scan();
        List<ConfigProblem> problems = new ArrayList<>();
        for (Path file : files) {
            RouteFileStatus status = statuses.get(file.getFileName().toString());
            if (status != null && !status.loaded()) {
                problems.add(new ConfigProblem("route file " + file.getFileName(), null, status.error()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        LOG.info("Applied {}: sources {}, destinations {}, connections {}", origin,
                config.sources().stream().map(s -> s.name()).toList(), config.destinations().stream().map(d -> d.name()).toList(),
                config.connections().stream().map(ConnectionConfig::name).toList());
        return config;
    }

    public CaravanConfig apply(Path file) {
        try {
            return apply(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw CaravanException.config("Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Runs a job of the connection now and returns it once finished; empty if the connection is already running. */
    public Optional<JobRecord> syncNow(String connection) {
        return coordinator.sync(connection, "manual");
    }

    public List<JobRecord> jobs(String connection, int limit) {
        return jobs.list(connection, limit);
    }

    public Map<String, RouteFileStatus> routeFiles() {
        return watcher.statuses();
    }

    public ConfigService configs() {
        return configs;
    }

    public StreamStateRepository states() {
        return states;
    }

    public ServerSettings settings() {
        return settings;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        watcher.close();
        stopQuietly(main, database);
        LOG.info("Caravan stopped");
    }

    private static void stopQuietly(Main main, StateDatabase database) {
        if (main != null) {
            try {
                main.stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping Camel failed: {}", e.getMessage());
            }
        }
        database.close();
    }
}
