package dev.caravan.server;

import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import dev.caravan.jobs.SyncPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The server's settings: defaults from {@code application.properties} on the class path, overridden by environment
 * variables ({@code caravan.state.url} → {@code CARAVAN_STATE_URL}), then by system properties, then by explicit values.
 */
public record ServerSettings(Path home, Path routesDirectory, Duration routesScanInterval, String stateUrl, String stateUser,
                             String statePassword, Path masterKeyFile, String httpHost, int httpPort, SyncPolicy syncPolicy,
                             boolean authEnabled, String initialAdminToken, boolean httpEnabled, boolean hawtioEnabled, boolean jmxEnabled, boolean recoverAtStart,
                             Set<String> routesOnlyConnections, int schedulerThreads, long maxBodyBytes, List<String> allowedOrigins, boolean openWithoutAuth, int stateHistoryDays,
                             List<Path> pluginDirectories, Duration pluginsScanInterval, ClusterSettings cluster) {

    public ServerSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
        pluginDirectories = List.copyOf(pluginDirectories);
        // in the order given (it is shown in toString)
        routesOnlyConnections = Collections.unmodifiableSet(new LinkedHashSet<>(routesOnlyConnections));
    }

    public static final String HOME = "caravan.home";
    public static final String ROUTES_DIR = "caravan.routes.dir";
    public static final String ROUTES_SCAN_INTERVAL_MS = "caravan.routes.scan-interval-ms";
    public static final String STATE_URL = "caravan.state.url";
    public static final String STATE_USER = "caravan.state.user";
    public static final String STATE_PASSWORD = "caravan.state.password";
    public static final String MASTER_KEY_FILE = "caravan.master-key-file";
    public static final String HTTP_HOST = "caravan.http.host";
    public static final String HTTP_PORT = "caravan.http.port";
    public static final String HTTP_ENABLED = "caravan.http.enabled";
    public static final String JMX_ENABLED = "caravan.jmx.enabled";
    public static final String RECOVERY_AT_START = "caravan.recovery.at-start";
    /** Connections whose generated route files are the only generated ones loaded (empty: all); hand-written files always load. */
    public static final String ROUTES_ONLY_CONNECTIONS = "caravan.routes.only-connections";
    public static final String SYNC_MAX_ATTEMPTS = "caravan.sync.max-attempts";
    public static final String SYNC_RETRY_BACKOFF_MS = "caravan.sync.retry-backoff-ms";
    public static final String SYNC_ON_OVERLAP = "caravan.sync.on-overlap";
    public static final String SYNC_MAX_CONCURRENT_JOBS = "caravan.sync.max-concurrent-jobs";
    public static final String SYNC_MAX_JOBS_PER_DESTINATION = "caravan.sync.max-jobs-per-destination";
    public static final String AUTH_ENABLED = "caravan.auth.enabled";
    public static final String AUTH_INITIAL_ADMIN_TOKEN = "caravan.auth.initial-admin-token";
    public static final String HAWTIO_ENABLED = "caravan.hawtio.enabled";
    public static final String SCHEDULER_THREADS = "caravan.scheduler.threads";
    public static final String HTTP_MAX_BODY_BYTES = "caravan.http.max-body-bytes";
    public static final String HTTP_ALLOWED_ORIGINS = "caravan.http.allowed-origins";
    public static final String HTTP_OPEN_WITHOUT_AUTH = "caravan.http.open-without-auth";
    public static final String RETENTION_STATE_HISTORY_DAYS = "caravan.retention.state-history-days";
    public static final String PLUGINS_DIRS = "caravan.plugins.dirs";
    public static final String PLUGINS_SCAN_INTERVAL_MS = "caravan.plugins.scan-interval-ms";
    public static final String CLUSTER_ENABLED = "caravan.cluster.enabled";
    public static final String CLUSTER_NODE_ID = "caravan.cluster.node-id";
    public static final String CLUSTER_LEASE_TIMEOUT_MS = "caravan.cluster.lease-timeout-ms";
    /** Every setting: each may come from application.properties, the environment or a system property. */
    static final List<String> KEYS = List.of(HOME, ROUTES_DIR, ROUTES_SCAN_INTERVAL_MS, STATE_URL, STATE_USER, STATE_PASSWORD, MASTER_KEY_FILE,
            HTTP_HOST, HTTP_PORT, HTTP_ENABLED, JMX_ENABLED, RECOVERY_AT_START, ROUTES_ONLY_CONNECTIONS, HTTP_MAX_BODY_BYTES, HTTP_ALLOWED_ORIGINS, HTTP_OPEN_WITHOUT_AUTH, SYNC_MAX_ATTEMPTS,
            SYNC_RETRY_BACKOFF_MS, SYNC_ON_OVERLAP, SYNC_MAX_CONCURRENT_JOBS, SYNC_MAX_JOBS_PER_DESTINATION, AUTH_ENABLED,
            AUTH_INITIAL_ADMIN_TOKEN, HAWTIO_ENABLED, SCHEDULER_THREADS, RETENTION_STATE_HISTORY_DAYS, PLUGINS_DIRS, PLUGINS_SCAN_INTERVAL_MS,
            CLUSTER_ENABLED, CLUSTER_NODE_ID, CLUSTER_LEASE_TIMEOUT_MS);

    /**
     * Several nodes sharing one PostgreSQL metadata store: {@code enabled}, this node's id (unique among the nodes), and how
     * long a node may miss its heartbeats before its running jobs are taken over by another node.
     */
    public record ClusterSettings(boolean enabled, String nodeId, Duration leaseTimeout) {
        public static final ClusterSettings SINGLE_NODE = new ClusterSettings(false, "", Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return "ServerSettings[home=" + home + ", routesDirectory=" + routesDirectory + ", routesScanInterval=" + routesScanInterval
                + ", stateUrl=" + dev.caravan.state.StateDatabase.redact(stateUrl) + ", stateUser=" + stateUser + ", statePassword=" + (statePassword == null || statePassword.isEmpty() ? "" : "**********")
                + ", http=" + httpHost + ":" + httpPort + ", sync=" + syncPolicy + ", auth=" + authEnabled
                + (initialAdminToken == null || initialAdminToken.isEmpty() ? "" : ", initialAdminToken=**********") + ", httpEnabled=" + httpEnabled + ", hawtio=" + hawtioEnabled + ", jmxEnabled=" + jmxEnabled
                + ", recoverAtStart=" + recoverAtStart + (routesOnlyConnections.isEmpty() ? "" : ", routesOnlyConnections=" + routesOnlyConnections)
                + ", schedulerThreads=" + schedulerThreads + ", maxBodyBytes=" + maxBodyBytes + ", allowedOrigins=" + allowedOrigins
                + ", openWithoutAuth=" + openWithoutAuth + ", stateHistoryDays=" + stateHistoryDays + ", pluginDirectories=" + pluginDirectories
                + ", pluginsScanInterval=" + pluginsScanInterval + ", cluster=" + cluster + "]";
    }

    /** Settings from the usual sources, with {@code overrides} (e.g. from the command line) winning. */
    public static ServerSettings load(Map<String, String> overrides) {
        Properties merged = new Properties();
        try (InputStream in = ServerSettings.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                merged.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        for (String key : KEYS) {
            String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (env != null) {
                merged.setProperty(key, env);
            }
            String system = System.getProperty(key);
            if (system != null) {
                merged.setProperty(key, system);
            }
        }
        overrides.forEach((k, v) -> {
            if (v != null) {
                merged.setProperty(k, v);
            }
        });
        return from(merged);
    }

    static ServerSettings from(Properties p) {
        List<ConfigProblem> problems = new ArrayList<>();
        Path home = Path.of(p.getProperty(HOME, ".")).toAbsolutePath().normalize();
        String routes = p.getProperty(ROUTES_DIR, "camel-routes");
        Path routesDirectory = home.resolve(routes).normalize();
        long scanMillis = 1000;
        String scanText = p.getProperty(ROUTES_SCAN_INTERVAL_MS, "1000");
        try {
            scanMillis = Long.parseLong(scanText.trim());
            if (scanMillis < 50 || scanMillis > 3_600_000) {
                problems.add(new ConfigProblem(ROUTES_SCAN_INTERVAL_MS, scanText, "use a number of milliseconds between 50 and 3600000"));
            }
        } catch (NumberFormatException e) {
            problems.add(new ConfigProblem(ROUTES_SCAN_INTERVAL_MS, scanText, "use a whole number of milliseconds, e.g. 1000"));
        }
        String url = p.getProperty(STATE_URL, "").trim();
        if (url.isEmpty()) {
            // WRITE_DELAY=0: a commit is on disk when it returns, so a killed server never loses committed state.
            url = "jdbc:h2:file:" + home.resolve("data").resolve("caravan-state") + ";WRITE_DELAY=0";
        } else if (!url.startsWith("jdbc:")) {
            problems.add(new ConfigProblem(STATE_URL, url, "use a JDBC URL, e.g. jdbc:postgresql://localhost:5432/caravan, or leave it empty for the embedded database"));
        }
        String portText = p.getProperty(HTTP_PORT, "8080");
        int port = 8080;
        try {
            port = Integer.parseInt(portText.trim());
            if (port < 0 || port > 65535) {
                problems.add(new ConfigProblem(HTTP_PORT, portText, "use a TCP port between 1 and 65535 (0 = any free port)"));
            }
        } catch (NumberFormatException e) {
            problems.add(new ConfigProblem(HTTP_PORT, portText, "use a TCP port number, e.g. 8080"));
        }
        String host = p.getProperty(HTTP_HOST, "127.0.0.1").trim();
        if (host.isEmpty()) {
            problems.add(new ConfigProblem(HTTP_HOST, host, "use an address to listen on, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (all)"));
        }
        long attempts = number(p, SYNC_MAX_ATTEMPTS, "3", 1, 100, problems);
        long backoff = number(p, SYNC_RETRY_BACKOFF_MS, "5000", 0, SyncPolicy.MAX_BACKOFF.toMillis(), problems);
        long schedulerThreads = number(p, SCHEDULER_THREADS, "25", 1, 1000, problems);
        long maxJobs = number(p, SYNC_MAX_CONCURRENT_JOBS, "0", 0, 10_000, problems);
        long maxPerDestination = number(p, SYNC_MAX_JOBS_PER_DESTINATION, "0", 0, 10_000, problems);
        long stateHistoryDays = number(p, RETENTION_STATE_HISTORY_DAYS, "90", 0, 36_500, problems);
        String overlap = p.getProperty(SYNC_ON_OVERLAP, "skip").trim();
        if (!overlap.equals("skip") && !overlap.equals("queue")) {
            problems.add(new ConfigProblem(SYNC_ON_OVERLAP, overlap, "use skip (drop a trigger that arrives while the connection runs) or queue (run it next)"));
        }
        boolean auth = bool(p, AUTH_ENABLED, false, problems);
        boolean httpEnabled = bool(p, HTTP_ENABLED, true, problems);
        // validated either way: a bad value is reported even when HTTP is off
        boolean hawtioSetting = bool(p, HAWTIO_ENABLED, true, problems);
        boolean jmxEnabled = bool(p, JMX_ENABLED, true, problems);
        boolean recoverAtStart = bool(p, RECOVERY_AT_START, true, problems);
        Set<String> routesOnlyConnections = connectionNames(p.getProperty(ROUTES_ONLY_CONNECTIONS, ""));
        // Hawtio shows what JMX holds
        boolean hawtio = httpEnabled && hawtioSetting && jmxEnabled;
        boolean openWithoutAuth = bool(p, HTTP_OPEN_WITHOUT_AUTH, false, problems);
        long maxBody = number(p, HTTP_MAX_BODY_BYTES, "1048576", 1024, 1L << 30, problems);
        List<String> origins = origins(p.getProperty(HTTP_ALLOWED_ORIGINS, ""), problems);
        List<Path> pluginDirectories = pluginDirectories(home, p.getProperty(PLUGINS_DIRS, "plugins"), problems);
        long pluginsScanMillis = number(p, PLUGINS_SCAN_INTERVAL_MS, "2000", 0, 3_600_000, problems);
        if (!auth && !openWithoutAuth && !host.isEmpty() && !isLoopback(host)) {
            problems.add(new ConfigProblem(AUTH_ENABLED, "false", "the server listens on " + host + " (" + HTTP_HOST
                    + "), which other machines can reach, so authentication is required: set " + AUTH_ENABLED
                    + "=true (CARAVAN_AUTH_ENABLED=true), or listen on 127.0.0.1 only (or, behind a proxy that authenticates, set "
                    + HTTP_OPEN_WITHOUT_AUTH + "=true)"));
        }
        ClusterSettings cluster = cluster(p, url, problems);
        if (cluster.enabled() && !routesOnlyConnections.isEmpty()) {
            problems.add(new ConfigProblem(ROUTES_ONLY_CONNECTIONS, String.join(",", routesOnlyConnections), "a cluster node runs the jobs of every "
                    + "connection (schedules, takeovers), so it loads every route: remove " + ROUTES_ONLY_CONNECTIONS + ", or leave "
                    + CLUSTER_ENABLED + " off for a one-shot run"));
        }
        if (cluster.enabled() && !httpEnabled) {
            problems.add(new ConfigProblem(HTTP_ENABLED, "false", "a cluster node serves the API (a sync requested on any node, the nodes list): "
                    + "remove " + HTTP_ENABLED + "=false, or leave " + CLUSTER_ENABLED + " off for a one-shot run"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        SyncPolicy policy = new SyncPolicy((int) attempts, Duration.ofMillis(backoff), SyncPolicy.OnOverlap.valueOf(overlap.toUpperCase()),
                (int) maxJobs, (int) maxPerDestination);
        return new ServerSettings(home, routesDirectory, Duration.ofMillis(scanMillis), url, p.getProperty(STATE_USER, ""),
                p.getProperty(STATE_PASSWORD, ""), home.resolve(p.getProperty(MASTER_KEY_FILE, "data/master.key")).normalize(), host, port, policy,
                auth, p.getProperty(AUTH_INITIAL_ADMIN_TOKEN, "").trim(), httpEnabled, hawtio, jmxEnabled, recoverAtStart, routesOnlyConnections, (int) schedulerThreads, maxBody, origins, openWithoutAuth,
                (int) stateHistoryDays, pluginDirectories, Duration.ofMillis(pluginsScanMillis), cluster);
    }

    /** A comma-separated list of connection names, blank entries ignored (only compared with the names of connections). */
    private static Set<String> connectionNames(String text) {
        return new LinkedHashSet<>(commaSeparated(text));
    }

    /** The items of a comma-separated setting, stripped, blank ones left out. */
    private static List<String> commaSeparated(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private static ClusterSettings cluster(Properties p, String stateUrl, List<ConfigProblem> problems) {
        boolean enabled = bool(p, CLUSTER_ENABLED, false, problems);
        long leaseMillis = number(p, CLUSTER_LEASE_TIMEOUT_MS, "30000", 3_000, 3_600_000, problems);
        String nodeId = p.getProperty(CLUSTER_NODE_ID, "").trim();
        if (!enabled) {
            return ClusterSettings.SINGLE_NODE;
        }
        if (!stateUrl.startsWith("jdbc:postgresql:")) {
            problems.add(new ConfigProblem(CLUSTER_ENABLED, "true", "the nodes of a cluster share their metadata store, which must be PostgreSQL: "
                    + "set " + STATE_URL + " to the same jdbc:postgresql://... URL on every node (it is " + dev.caravan.state.StateDatabase.redact(stateUrl) + ")"));
        }
        if (nodeId.isEmpty()) {
            // unique per process: a restarted node is a new node, and the jobs of the old one are taken over like any other
            nodeId = hostName() + "-" + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime() & 0xffffff, 36);
        } else if (!nodeId.matches("[A-Za-z0-9._-]{1,100}")) {
            problems.add(new ConfigProblem(CLUSTER_NODE_ID, nodeId, "use 1 to 100 letters, digits, '.', '_' or '-', different on every node"));
        }
        return new ClusterSettings(true, nodeId, Duration.ofMillis(leaseMillis));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    /**
     * Comma-separated plugin folders, relative to the home. Each must be a folder if it exists; one that does not exist yet is
     * created by the server at start (so a plugin can be dropped into it later).
     */
    private static List<Path> pluginDirectories(Path home, String text, List<ConfigProblem> problems) {
        List<Path> folders = new ArrayList<>();
        for (String name : commaSeparated(text)) {
            Path folder;
            try {
                folder = home.resolve(name).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                problems.add(new ConfigProblem(PLUGINS_DIRS, name, "use folder paths separated by commas, e.g. plugins,/opt/caravan/plugins"));
                continue;
            }
            if (java.nio.file.Files.exists(folder) && !java.nio.file.Files.isDirectory(folder)) {
                problems.add(new ConfigProblem(PLUGINS_DIRS, name, folder + " is a file; name a folder holding plugin jars or plugin folders"));
            } else if (folders.contains(folder)) {
                problems.add(new ConfigProblem(PLUGINS_DIRS, name, "is listed twice; name each plugin folder once"));
            } else {
                folders.add(folder);
            }
        }
        return folders;
    }

    /** {@code scheme://host[:port]} origins, lower case, comma separated; each bad one is a problem. */
    private static List<String> origins(String text, List<ConfigProblem> problems) {
        List<String> origins = new java.util.ArrayList<>();
        for (String item : commaSeparated(text)) {
            String origin = item.toLowerCase(java.util.Locale.ROOT);
            try {
                java.net.URI uri = new java.net.URI(origin);
                boolean plain = (origin.startsWith("http://") || origin.startsWith("https://")) && uri.getHost() != null
                        && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null && uri.getUserInfo() == null;
                if (plain) {
                    origins.add(origin);
                    continue;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            problems.add(new ConfigProblem(HTTP_ALLOWED_ORIGINS, item, "use origins as browsers send them: scheme://host[:port],"
                    + " without a path, e.g. https://ui.example.com"));
        }
        return origins;
    }

    private static long number(Properties p, String key, String defaultValue, long min, long max, List<ConfigProblem> problems) {
        String text = p.getProperty(key, defaultValue).trim();
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(new ConfigProblem(key, text, "use a whole number between " + min + " and " + max));
        return Long.parseLong(defaultValue);
    }

    private static boolean bool(Properties p, String key, boolean defaultValue, List<ConfigProblem> problems) {
        String text = p.getProperty(key, Boolean.toString(defaultValue)).trim();
        if (text.isEmpty()) {
            return defaultValue;
        }
        if (!text.equals("true") && !text.equals("false")) {
            problems.add(new ConfigProblem(key, text, "use true or false"));
            return defaultValue;
        }
        return Boolean.parseBoolean(text);
    }

    /** Whether only this machine can reach {@code host}; a name that does not resolve counts as reachable. */
    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
