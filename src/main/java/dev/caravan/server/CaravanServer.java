package dev.caravan.server;

import dev.caravan.api.ApiRequestGuard;
import dev.caravan.api.ApiRoutes;
import dev.caravan.api.ApiServices;
import dev.caravan.api.HttpServer;
import dev.caravan.api.WebhookNotifier;
import dev.caravan.camel.CaravanRuntime;
import dev.caravan.camel.jobs.CaravanJobsComponent;
import dev.caravan.camel.sync.CaravanSyncComponent;
import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.config.ConnectionConfig;
import dev.caravan.hawtio.HawtioConsole;
import dev.caravan.jmx.ConnectionMBeans;
import dev.caravan.jobs.JobListener;
import dev.caravan.jobs.ConnectionLeases;
import dev.caravan.jobs.JobLogs;
import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.jobs.WorkerLimits;
import dev.caravan.metrics.CaravanMetrics;
import dev.caravan.metrics.MetricsServlet;
import dev.caravan.metrics.SyncMetrics;
import dev.caravan.routes.RouteDirectoryWatcher;
import dev.caravan.routes.RouteFileStatus;
import dev.caravan.security.ApiAuthFilter;
import dev.caravan.security.JaasRealm;
import dev.caravan.security.LogMasking;
import dev.caravan.security.TokenService;
import dev.caravan.service.ConfigService;
import dev.caravan.service.ConnectionRoutes;
import dev.caravan.service.ControlPlane;
import dev.caravan.service.JobHistory;
import dev.caravan.service.QuartzEndpointIndex;
import dev.caravan.service.RouteOwnership;
import dev.caravan.service.SchemaChangeActions;
import dev.caravan.service.Schedules;
import dev.caravan.service.StoreConnectorResolver;
import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.SecretRegistry;
import dev.caravan.state.ClusterRepository;
import dev.caravan.state.DefinitionRepository;
import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository;
import dev.caravan.state.MasterKey;
import dev.caravan.state.SecretCipher;
import dev.caravan.state.StateDatabase;
import dev.caravan.state.StreamStateRepository;
import dev.caravan.state.TokenRepository;
import dev.caravan.ui.SessionServlet;
import dev.caravan.ui.StaticFilesServlet;
import dev.caravan.security.UiSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.servlet.ServletComponent;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Caravan server: a Camel Main application with the metadata store, the connector catalog, the Caravan components,
 * the route directory watcher, the sync coordinator, the REST API, the connection MBeans, Prometheus metrics, the Hawtio
 * console and API-token authentication. {@link #start} returns a running server; {@link #close} stops it.
 */
public final class CaravanServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaravanServer.class);

    private final ServerSettings settings;
    private final List<AutoCloseable> resources;
    private final Main main;
    private final RouteDirectoryWatcher watcher;
    private final ControlPlane controlPlane;
    private final JobRepository jobs;
    private final StreamStateRepository states;
    private final SyncCoordinator coordinator;
    private final HttpServer http;
    private final ConfigService configs;
    private final SecretRegistry secrets;
    private final StoreConnectorResolver resolver;

    private CaravanServer(ServerSettings settings, List<AutoCloseable> resources, Main main, RouteDirectoryWatcher watcher,
                          ControlPlane controlPlane, ConfigService configs, JobRepository jobs, StreamStateRepository states,
                          SyncCoordinator coordinator, HttpServer http, SecretRegistry secrets, StoreConnectorResolver resolver) {
        this.settings = settings;
        this.resources = resources;
        this.main = main;
        this.watcher = watcher;
        this.controlPlane = controlPlane;
        this.configs = configs;
        this.jobs = jobs;
        this.states = states;
        this.coordinator = coordinator;
        this.http = http;
        this.secrets = secrets;
        this.resolver = resolver;
    }

    public static CaravanServer start(ServerSettings settings) {
        long started = System.nanoTime();
        StartPhases phases = new StartPhases();
        phases.beforeStart(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime(), System.currentTimeMillis());
        // Closed in reverse order on stop, or on a failed start.
        List<AutoCloseable> resources = new ArrayList<>();
        // the metadata store opens (and migrates) on a thread of its own while the connector catalog loads
        BackgroundStart<StateDatabase> opening = null;
        try {
            // This server's secrets: masked in what it shows and, while it runs, in the JVM's log (see LogMasking).
            SecretRegistry secrets = new SecretRegistry();
            resources.add(LogMasking.attach(secrets));
            secrets.register(settings.statePassword());
            secrets.registerEmbedded(settings.stateUrl());
            opening = BackgroundStart.of("caravan-state-open",
                    () -> StateDatabase.open(settings.stateUrl(), settings.stateUser(), settings.statePassword()));
            PluginFolderWatcher.createFolders(settings.pluginDirectories());
            ConnectorCatalog catalog = ConnectorCatalog.load(settings.pluginDirectories());
            resources.add(catalog);
            resources.add(PluginFolderWatcher.start(catalog, settings.pluginsScanInterval()));
            phases.ended("connector catalog");
            StateDatabase database = opening.await();
            resources.add(database);
            opening = null;
            phases.ended("metadata store and migrations (what the catalog did not overlap)");
            DefinitionRepository definitions = new DefinitionRepository(database.dataSource());
            ServerSettings.ClusterSettings clustering = settings.cluster();
            JobRepository jobs = new JobRepository(database.dataSource(), secrets::mask, clustering.enabled() ? clustering.nodeId() : null);
            StreamStateRepository states = new StreamStateRepository(database.dataSource(), clustering.enabled());
            ClusterNode node = null;
            ClusterRepository cluster = null;
            if (clustering.enabled()) {
                cluster = new ClusterRepository(database.dataSource(), clustering.nodeId(), clustering.leaseTimeout(),
                        settings.syncPolicy().maxConcurrentJobs(), settings.syncPolicy().maxJobsPerDestination());
                node = new ClusterNode(cluster, definitions, jobs, clustering.leaseTimeout());
                resources.add(node);
            }
            // On a cluster the other nodes' jobs are running: only this node's own are ended (it restarted with its node id,
            // beating again before another node saw it silent; left RUNNING or QUEUED they would hold slots of the worker
            // limits). A silent node's jobs are taken over by ClusterNode.
            List<JobRecord> interrupted = node == null ? jobs.markRunningAsInterrupted()
                    : jobs.markInterruptedOnNode(clustering.nodeId(), "the server stopped");
            if (!interrupted.isEmpty()) {
                LOG.warn("{} job(s) were running when the server last stopped; marked INTERRUPTED with what their committed checkpoints wrote: {}. "
                        + "Their streams resume from the last committed state.", interrupted.size(),
                        interrupted.stream().map(j -> "job " + j.id() + " of " + j.connection() + " (" + j.records() + " records)").toList());
            }
            SecretCipher cipher = new SecretCipher(MasterKey.load(System.getenv("CARAVAN_MASTER_KEY"), settings.masterKeyFile()));
            ConfigService configs = new ConfigService(catalog, definitions, cipher, secrets);
            configs.rememberSecrets();
            phases.ended("stored configuration");
            TokenService tokens = new TokenService(new TokenRepository(database.dataSource()));
            // Null when authentication is off: every request is then let through (loopback only).
            TokenService guard = settings.authEnabled() ? tokens : null;
            if (guard != null) {
                showInitialAdmin(tokens, settings.initialAdminToken());
                resources.add(JaasRealm.install(tokens));
            }
            // JVM metrics only where /metrics serves them (not in a one-shot run, which has no HTTP server)
            CaravanMetrics metrics = new CaravanMetrics(settings.httpEnabled());
            resources.add(metrics);

            // a one-shot run (serve --exit) has nobody to serve: no HTTP server, no REST API, no console
            HttpServer http = settings.httpEnabled() ? new HttpServer(settings.httpHost(), settings.httpPort()) : null;
            boolean hawtio = false;
            if (http != null) {
                // the web UI's sign-in (/ui/session) takes the API's request rules (JSON only, same origin)
                http.addFilter(new ApiRequestGuard(settings.maxBodyBytes(), settings.allowedOrigins(), !settings.authEnabled()), "/api/*", "/ui/session");
                UiSessions uiSessions = new UiSessions(java.time.Clock.systemUTC());
                http.addFilter(new ApiAuthFilter(guard, uiSessions), "/api/v1/*", "/metrics");
                http.addServlet("/metrics", new MetricsServlet(metrics));
                hawtio = settings.hawtioEnabled() && HawtioConsole.serve(http, settings.home().resolve("data").resolve("hawtio"), guard, secrets);
                http.addServlet("/ui/session", new SessionServlet(guard, uiSessions, hawtio));
                http.addServlet("/", new StaticFilesServlet());
            }
            phases.ended(hawtio ? "HTTP server and Hawtio console set up (started on its first request)" : "HTTP server");
            // The route directory is created once Camel runs; until then no route file is loaded, so none claims anything.
            AtomicReference<RouteDirectoryWatcher> routeDirectory = new AtomicReference<>();
            RouteOwnership ownership = new RouteOwnership(configs, () -> routeDirectory.get() == null ? Map.of() : routeDirectory.get().claims());
            configs.routeWriters(ownership::handWrittenWriters);
            StoreConnectorResolver resolver = new StoreConnectorResolver(catalog, configs);
            // before any route loads (schedules fire from routes): readers see settled lakes from now on. Not on a cluster,
            // where other nodes may be publishing right now: there each stream's next sync settles what a crash left.
            if (node == null && settings.recoverAtStart()) {
                StartupRecovery.run(configs.current().destinations(), resolver, states);
            }
            phases.ended("crash recovery of destinations");
            Main main = new Main();
            main.bind("caravanRuntime", new CaravanRuntime(resolver, states, ownership));
            if (settings.httpEnabled()) {
                // route metrics time every exchange (a batch): only where /metrics serves them, not in a one-shot run
                main.bind("caravanRoutePolicies", metrics.routePolicies());
            }
            main.bind("caravanQuartzProperties", Schedules.quartzProperties(settings.schedulerThreads(), node == null ? null
                    : new Schedules.ClusterStore(node.nodeId(), database.dataSource(), clustering.leaseTimeout().toMillis() / 5)));
            // bound, not configured through camel.component.quartz.*, which would create and start Quartz (its threads, and
            // ~0.35-0.5 s of every stop waiting for them) in a server that has no schedule: Camel takes the component from
            // the registry when the first schedule route needs it
            QuartzComponent quartz = new QuartzComponent();
            quartz.setPropertiesRef("caravanQuartzProperties");
            main.bind("quartz", quartz);
            if (settings.jmxEnabled()) {
                main.addMainListener(new LeanManagement());
            } else {
                // an override: application.properties turns JMX on
                main.addOverrideProperty("camel.main.jmxEnabled", "false");
            }
            main.start();
            phases.ended("Camel context");
            resources.add(main::stop);
            CamelContext context = main.getCamelContext();
            // sources that open their own connections (http) use camel-http's TLS and proxy settings
            configs.network(CamelNetworkSettings.from(context));
            QuartzEndpointIndex.install(context);

            JobHistory history = new JobHistory(jobs);
            ConnectionMBeans mbeans = settings.jmxEnabled() ? new ConnectionMBeans(history) : null;
            if (mbeans != null) {
                resources.add(mbeans);
            }
            SyncMetrics syncMetrics = new SyncMetrics(metrics.registry(), jobs);
            StateHistoryRetention retention = new StateHistoryRetention(states, settings.stateHistoryDays(), java.time.Clock.systemUTC());
            retention.pruneIfDue();
            // jobs a crash left running end now: they count in caravan_sync_jobs_total like any other ended job
            interrupted.forEach(syncMetrics::jobEnded);
            // job events for routes (caravan-jobs:) come last: a slow hook route delays no other listener
            CaravanJobsComponent jobEvents = new CaravanJobsComponent();
            SchemaChangeActions schemaActions = new SchemaChangeActions(configs);
            SyncCoordinator coordinator = new SyncCoordinator(context, jobs, settings.syncPolicy(),
                    JobListener.all(new WebhookNotifier(configs), syncMetrics, retention, schemaActions, jobEvents), node == null ? ConnectionLeases.LOCAL : node,
                    new WorkerLimits(settings.syncPolicy().maxConcurrentJobs(), settings.syncPolicy().maxJobsPerDestination(),
                            connection -> configs.connection(connection).map(ConnectionConfig::destination).orElse("")), cluster);
            resources.add(coordinator);
            phases.ended("sync coordinator and metrics");
            if (http != null) {
                http.addServlet("/api/v1/events/*", new dev.caravan.ui.JobEventsServlet(coordinator));
            }
            JobLogs jobLogs = JobLogs.attach(settings.home().resolve("data").resolve("job-logs"), coordinator, secrets);
            resources.add(jobLogs);
            context.addComponent(CaravanSyncComponent.SCHEME, new CaravanSyncComponent(coordinator));
            context.addComponent(CaravanJobsComponent.SCHEME, jobEvents);
            RouteDirectoryWatcher watcher = new RouteDirectoryWatcher(context, settings.routesDirectory(), settings.routesScanInterval(), ownership);
            if (!settings.routesOnlyConnections().isEmpty()) {
                // a one-shot run: the generated routes of the connections it does not sync are not loaded (nor started)
                watcher.skip(new SkippedRouteFiles(ownership, settings.routesOnlyConnections()));
            }
            routeDirectory.set(watcher);
            resources.add(watcher);
            ConnectionRoutes connectionRoutes = new ConnectionRoutes(watcher);
            ControlPlane controlPlane = new ControlPlane(catalog, configs, connectionRoutes, coordinator, states);
            schemaActions.bind(controlPlane);
            Schedules schedules = new Schedules(context);
            // Stop order (reverse of this list): the API, Quartz firing, the route watcher, then the coordinator refuses
            // every trigger (JMX, a trigger racing the pause) and waits for running jobs, then the Camel context stops.
            resources.add(schedules::stopFiring);
            if (mbeans != null) {
                mbeans.bind(controlPlane, coordinator, schedules);
                resources.add(dev.caravan.jmx.RouteDirectory.register(watcher));
            }
            watcher.onChange(() -> {
                if (mbeans != null) {
                    mbeans.sync(coordinator.connections());
                }
                syncMetrics.track(coordinator.connections());
            });

            phases.ended(settings.jmxEnabled() ? "route directory and JMX" : "route directory");
            if (http != null) {
                context.getComponent("servlet", ServletComponent.class).setServletName(http.servletName());
                context.addRoutes(new ApiRoutes(new ApiServices(controlPlane, catalog, coordinator, history, schedules, tokens, secrets, watcher, jobLogs,
                        node == null ? List::of : node::nodes)));
                phases.ended("REST API routes");
                http.start();
                phases.ended("HTTP server start");
                resources.add(http);
            }
            watcher.start();
            phases.ended("route files");
            String base = http == null ? "" : "http://" + http.host() + ":" + http.port();
            if (node != null) {
                node.start(new ClusterNode.Parts(coordinator, configs, connectionRoutes, schedules, base + "/api/v1"));
            }
            LOG.debug("Start phases: {}", phases);
            LOG.info("JVM: {}", JvmSummary.describe());
            LOG.info("Caravan started in {} ms: state {}, routes {}, API {}, metrics {}, console {}, connectors {}, plugin folders {}",
                    (System.nanoTime() - started) / 1_000_000, StateDatabase.redact(settings.stateUrl()), settings.routesDirectory(),
                    http == null ? "off" : base + "/api/v1", http == null ? "off" : base + "/metrics", hawtio ? base + HawtioConsole.CONTEXT_PATH + "/" : "off",
                    catalog.all().stream().map(d -> d.name() + " " + d.version() + (d.builtIn() ? "" : " (" + d.origin() + ")")).toList(),
                    settings.pluginDirectories());
            if (http == null) {
                LOG.info("HTTP is off ({}=false, as for every serve --exit): no API, metrics or console", ServerSettings.HTTP_ENABLED);
            } else if (guard == null) {
                if (ServerSettings.isLoopback(http.host())) {
                    LOG.warn("Authentication is OFF: the server listens on {} (this machine only); anyone who can connect to {} may use the API, "
                            + "/metrics and the console with full rights. Set caravan.auth.enabled=true to require API tokens.", http.host(), base);
                } else {
                    LOG.warn("Authentication is OFF and the server listens on {}, which other machines can reach ({}=true): anyone who can "
                            + "connect to {} may use the API, /metrics and the console with full rights. Only do this behind a proxy that "
                            + "authenticates; set caravan.auth.enabled=true to require API tokens.", http.host(), ServerSettings.HTTP_OPEN_WITHOUT_AUTH, base);
                }
            } else {
                LOG.info("Authentication is ON: the API, /metrics, Hawtio and Jolokia need an API token (roles admin, editor, viewer)");
            }
            return new CaravanServer(settings, resources, main, watcher, controlPlane, configs, jobs, states, coordinator, http, secrets, resolver);
        } catch (Exception e) {
            if (opening != null) {
                opening.closeWhenDone();
            }
            closeAll(resources);
            throw e instanceof RuntimeException re ? re : new CaravanException(ErrorType.SYSTEM, "Server start failed: " + e.getMessage(), e);
        }
    }

    /** Creates the first admin token when none exists and shows its secret once: the way in to a new server. */
    private static void showInitialAdmin(TokenService tokens, String given) {
        tokens.ensureAdmin(given).ifPresent(secret -> {
            if (given != null && !given.isBlank()) {
                LOG.info("Admin token 'admin' created with the secret of caravan.auth.initial-admin-token");
            } else {
                LOG.warn("Initial admin token created; it is shown only this once, store it now: {}  "
                        + "(API: 'Authorization: Bearer <token>'; Hawtio: user admin, the token as password; "
                        + "create more tokens with POST /api/v1/tokens)", secret);
            }
        });
    }

    /**
     * Validates and stores a configs-as-code document, then writes each connection's route file and waits until the route
     * directory has loaded it. Nothing is stored when the document has a problem.
     */
    public List<ControlPlane.Change> apply(String yaml, String origin) {
        ControlPlane.ApplyResult result = controlPlane.apply(yaml, origin, false, true);
        LOG.info("Applied {}: {}", origin, result.changes().stream().map(c -> c.kind() + " " + c.name() + " " + c.action()).toList());
        result.warnings().forEach(w -> LOG.warn("Applied {} with a warning: {}: {} — {}", origin, w.path(), w.value(), w.fix()));
        return result.changes();
    }

    public List<ControlPlane.Change> apply(Path file) {
        try {
            return apply(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw CaravanException.config("Cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Settles what a crash left at the destinations of {@code connections} (see {@link StartupRecovery}), as a server
     * started with {@link ServerSettings#RECOVERY_AT_START} does for every destination: a one-shot run settles only those
     * it writes to, not every lake it knows.
     */
    public void settleDestinationsOf(List<String> connections) {
        if (settings.cluster().enabled()) {
            return; // other nodes may be publishing: each stream's next sync settles what a crash left
        }
        Set<String> used = new HashSet<>();
        connections.forEach(c -> configs.connection(c).ifPresent(connection -> used.add(connection.destination())));
        StartupRecovery.run(configs.current().destinations().stream().filter(d -> used.contains(d.name())).toList(), resolver, states);
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

    public SyncCoordinator coordinator() {
        return coordinator;
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    public ConfigService configs() {
        return configs;
    }

    public StreamStateRepository states() {
        return states;
    }

    /** The secrets this server masks wherever text leaves it. */
    public SecretRegistry secrets() {
        return secrets;
    }

    public ServerSettings settings() {
        return settings;
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    /** The base URL of the REST API, e.g. {@code http://127.0.0.1:8080/api/v1}. */
    public String apiUrl() {
        if (http == null) {
            throw new IllegalStateException("this server runs without HTTP (" + ServerSettings.HTTP_ENABLED + "=false)");
        }
        return "http://" + ("0.0.0.0".equals(http.host()) ? "127.0.0.1" : http.host()) + ":" + http.port() + "/api/v1";
    }

    @Override
    public void close() {
        closeAll(resources);
        LOG.info("Caravan stopped");
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", resources.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        resources.clear();
    }
}
