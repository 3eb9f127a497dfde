package dev.caravan.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the routes of a directory in step with its files: a file added or changed (re)loads its routes, a file
 * removed stops and removes them. A file that fails to load is reported and its previous version keeps running;
 * the other files are not touched. Files are compared by content, so rewriting identical bytes does nothing.
 *
 * <p>Before a file's routes are added, its {@link RouteClaim}s go through the {@link RouteAdmission}: a file whose
 * routes would read or write what is not theirs is refused (not started) and reported with file, line and the
 * conflicting owner. After the metadata store changes ({@link #configurationChanged}), the next scan checks the loaded
 * files again (a file whose connection was deleted is stopped) and retries the refused ones.
 *
 * <p>Camel's own route reload is documented as a development aid that reloads everything; this watcher
 * works per file, which is what a server with many connections needs.
 */
public final class RouteDirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteDirectoryWatcher.class);
    private static final Set<String> EXTENSIONS = Set.of("yaml", "yml", "xml");

    private final CamelContext context;
    private final Path directory;
    private final Duration interval;
    private final Map<Path, LoadedFile> loaded = new HashMap<>();
    private final Map<Path, String> failedDigests = new HashMap<>();
    private final Map<String, RouteFileStatus> statuses = new TreeMap<>();
    private final RouteAdmission admission;
    /** Files refused for what they claim (not for their syntax): retried once the metadata store changes. */
    private final Set<Path> refused = new HashSet<>();
    /** The claims of the loaded files by file name: read by other threads (syncs, API validation) without the lock. */
    private volatile Map<String, List<RouteClaim>> claims = Map.of();
    private volatile boolean recheck;
    private ScheduledExecutorService executor;
    private Runnable onChange = () -> { };
    /** Names of route files to leave alone (neither loaded nor reported), asked once per scan. */
    private Supplier<Set<String>> skipped = Set::of;

    private record LoadedFile(String digest, byte[] content, List<String> routeIds, List<RouteClaim> claims) {
    }

    public RouteDirectoryWatcher(CamelContext context, Path directory, Duration interval, RouteAdmission admission) {
        this.context = context;
        this.directory = directory.toAbsolutePath().normalize();
        this.interval = interval;
        this.admission = admission;
    }

    /** The claims of the routes that are loaded now, by file name. */
    public Map<String, List<RouteClaim>> claims() {
        return claims;
    }

    /**
     * The metadata store changed (a connection or destination was created, changed or deleted): the next scan admits the
     * loaded files again, stopping those refused now, and retries the refused ones.
     */
    public void configurationChanged() {
        recheck = true;
    }

    /**
     * Files whose names {@code names} returns at a scan are left alone as if absent (not loaded, no status; one loaded
     * before is unloaded): a one-shot run leaves the generated routes of the connections it does not sync unloaded. Set
     * before {@link #start}.
     */
    public void skip(Supplier<Set<String>> names) {
        this.skipped = Objects.requireNonNull(names, "names");
    }

    /** Called after a scan that loaded, reloaded or removed routes. */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    public Path directory() {
        return directory;
    }

    /** Loads the directory now, then watches it every {@code interval}. */
    public void start() throws IOException {
        Files.createDirectories(directory);
        scan();
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "caravan-route-watcher");
        executor.scheduleWithFixedDelay(this::scanQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Watching {} for route files (*.yaml, *.yml, *.xml) every {} ms", directory, interval.toMillis());
    }

    /**
     * Runs {@code change} (writing route files) and then a scan, with no periodic scan in between: files written
     * together are loaded together (see {@link #loadAll}).
     */
    public synchronized Map<String, RouteFileStatus> scanAfter(Runnable change) {
        change.run();
        return scan();
    }

    /** Applies every change of the directory since the last scan; returns the status of each file. */
    public synchronized Map<String, RouteFileStatus> scan() {
        Map<Path, byte[]> present = new LinkedHashMap<>();
        Set<String> skip = skipped.get();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> isRouteFile(f) && !skip.contains(f.getFileName().toString())).sorted().toList()) {
                try {
                    present.put(file, Files.readAllBytes(file));
                } catch (IOException e) {
                    LOG.debug("{} vanished while scanning: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot list route directory {}: {}", directory, e.getMessage());
            return statuses();
        }
        boolean changed = recheck && recheck();
        for (Path gone : new ArrayList<>(loaded.keySet())) {
            if (!present.containsKey(gone)) {
                unload(gone, skip.contains(gone.getFileName().toString()) ? "skipped in this run" : "deleted file");
                changed = true;
            }
        }
        // a failed or refused file that was never loaded and is gone now: nothing to report any more
        for (Path gone : new ArrayList<>(failedDigests.keySet())) {
            if (!present.containsKey(gone) && !loaded.containsKey(gone)) {
                failedDigests.remove(gone);
                refused.remove(gone);
                statuses.remove(gone.getFileName().toString());
            }
        }
        List<NewFile> added = new ArrayList<>();
        for (Map.Entry<Path, byte[]> entry : present.entrySet()) {
            Path file = entry.getKey();
            String digest = digest(entry.getValue());
            LoadedFile current = loaded.get(file);
            boolean unchangedFailure = digest.equals(failedDigests.get(file));
            if (current == null && !unchangedFailure) {
                added.add(new NewFile(file, entry.getValue(), digest));
                changed = true;
            } else if ((current == null || !current.digest().equals(digest)) && !unchangedFailure) {
                load(file, entry.getValue(), digest, current);
                changed = true;
            } else if (current != null && current.digest().equals(digest) && failedDigests.remove(file) != null) {
                // A broken edit was undone: the running version is the file's content again.
                String name = file.getFileName().toString();
                refused.remove(file);
                statuses.put(name, new RouteFileStatus(name, RouteFileStatus.State.LOADED, current.routeIds(), null, Instant.now()));
            }
        }
        loadAll(added);
        if (changed) {
            publishClaims();
            onChange.run();
        }
        return statuses();
    }

    /** Admits every loaded file again, stopping the refused ones, and forgets the refusals so they are retried; true if any stopped. */
    private boolean recheck() {
        recheck = false;
        refused.forEach(failedDigests::remove);
        refused.clear();
        boolean stopped = false;
        for (Map.Entry<Path, LoadedFile> entry : new ArrayList<>(loaded.entrySet())) {
            Path file = entry.getKey();
            List<String> reasons = admission.refusals(entry.getValue().claims(), otherClaims(file, Map.of()));
            if (!reasons.isEmpty()) {
                unload(file, "file refused now");
                refuse(file, entry.getValue().digest(), reasons, "; its routes were stopped");
                stopped = true;
            }
        }
        publishClaims();
        return stopped;
    }

    private Map<String, List<RouteClaim>> otherClaims(Path file, Map<String, List<RouteClaim>> alsoAdmitted) {
        Map<String, List<RouteClaim>> others = new HashMap<>(alsoAdmitted);
        loaded.forEach((other, content) -> {
            if (!other.equals(file)) {
                others.put(other.getFileName().toString(), content.claims());
            }
        });
        return others;
    }

    private void publishClaims() {
        publishClaims(Map.of());
    }

    /**
     * Publishes the claims of the loaded files and of {@code starting} (files whose routes are being added): a route may
     * run (a schedule may fire) as soon as it starts, before the scan ends, and must find its outputs admitted.
     */
    private void publishClaims(Map<String, List<RouteClaim>> starting) {
        Map<String, List<RouteClaim>> now = new HashMap<>();
        loaded.forEach((file, content) -> now.put(file.getFileName().toString(), content.claims()));
        now.putAll(starting);
        claims = Map.copyOf(now);
    }

    private List<RouteClaim> claimsOf(Path file, byte[] content, List<RouteDefinition> definitions) {
        return RouteClaims.of(file.getFileName().toString(), new String(content, java.nio.charset.StandardCharsets.UTF_8), definitions);
    }

    private record NewFile(Path file, byte[] content, String digest) {
    }

    /**
     * Loads new files with one {@code addRouteDefinitions} call: Camel's call looks for an existing route of each id
     * by gathering the endpoints of every route, so adding routes one at a time costs O(routes²) (minutes for 2,000
     * connections), and one call for all of them O(routes). If that fails, the files are loaded one by one, so that the
     * broken one is found and reported exactly as alone.
     */
    private void loadAll(List<NewFile> files) {
        if (files.size() < 2) {
            files.forEach(f -> load(f.file(), f.content(), f.digest(), null));
            return;
        }
        Map<NewFile, List<RouteDefinition>> parsed = new LinkedHashMap<>();
        Map<NewFile, List<RouteClaim>> admitted = new LinkedHashMap<>();
        Map<String, List<RouteClaim>> batchClaims = new HashMap<>();
        Set<String> batchIds = new HashSet<>();
        for (NewFile f : files) {
            List<RouteDefinition> definitions;
            try {
                definitions = parse(f.content(), f.file());
                checkIdsAreFree(f.file(), definitions);
                for (RouteDefinition definition : definitions) {
                    if (batchIds.contains(definition.getRouteId())) {
                        throw new IllegalArgumentException("route id '" + definition.getRouteId() + "' is used by another new file too; rename one of them");
                    }
                }
            } catch (Exception e) {
                fail(f.file(), f.digest(), "cannot be parsed: " + message(e));
                continue;
            }
            List<RouteClaim> fileClaims = claimsOf(f.file(), f.content(), definitions);
            List<String> reasons = admission.refusals(fileClaims, otherClaims(f.file(), batchClaims));
            if (!reasons.isEmpty()) {
                refuse(f.file(), f.digest(), reasons, "");
                continue;
            }
            definitions.forEach(d -> batchIds.add(d.getRouteId()));
            batchClaims.put(f.file().getFileName().toString(), fileClaims);
            parsed.put(f, definitions);
            admitted.put(f, fileClaims);
        }
        List<RouteDefinition> all = parsed.values().stream().flatMap(List::stream).toList();
        publishClaims(batchClaims);
        try {
            ((ModelCamelContext) context).addRouteDefinitions(all);
        } catch (Exception e) {
            LOG.debug("Loading {} new route files together failed ({}); loading them one by one", parsed.size(), message(e));
            removeRoutes(batchIds);
            parsed.keySet().forEach(f -> load(f.file(), f.content(), f.digest(), null));
            return;
        }
        parsed.forEach((f, definitions) -> {
            String name = f.file().getFileName().toString();
            List<String> ids = definitions.stream().map(RouteDefinition::getRouteId).toList();
            loaded.put(f.file(), new LoadedFile(f.digest(), f.content(), ids, admitted.get(f)));
            failedDigests.remove(f.file());
            refused.remove(f.file());
            statuses.put(name, new RouteFileStatus(name, RouteFileStatus.State.LOADED, ids, null, Instant.now()));
            LOG.info("Loaded {} with routes {}", name, ids);
        });
    }

    public synchronized Map<String, RouteFileStatus> statuses() {
        return Map.copyOf(statuses);
    }

    private void load(Path file, byte[] content, String digest, LoadedFile previous) {
        String name = file.getFileName().toString();
        List<RouteDefinition> definitions;
        try {
            definitions = parse(content, file);
            checkIdsAreFree(file, definitions);
        } catch (Exception e) {
            fail(file, digest, "cannot be parsed: " + message(e) + (previous == null ? "" : "; its previous version keeps running"));
            return;
        }
        List<RouteClaim> fileClaims = claimsOf(file, content, definitions);
        List<String> reasons = admission.refusals(fileClaims, otherClaims(file, Map.of()));
        if (!reasons.isEmpty()) {
            refuse(file, digest, reasons, previous == null ? "" : "; its previous version keeps running");
            return;
        }
        if (previous != null) {
            removeRoutes(previous.routeIds());
        }
        List<String> ids = definitions.stream().map(RouteDefinition::getRouteId).toList();
        publishClaims(Map.of(name, fileClaims));
        try {
            ((ModelCamelContext) context).addRouteDefinitions(definitions);
            loaded.put(file, new LoadedFile(digest, content, ids, fileClaims));
            failedDigests.remove(file);
            refused.remove(file);
            statuses.put(name, new RouteFileStatus(name, RouteFileStatus.State.LOADED, ids, null, Instant.now()));
            LOG.info("Loaded {} with routes {}", name, ids);
        } catch (Exception e) {
            removeRoutes(ids);
            loaded.remove(file);
            String restored = previous == null ? "" : restore(file, previous);
            fail(file, digest, "failed to start: " + message(e) + restored);
        }
    }

    private String restore(Path file, LoadedFile previous) {
        try {
            List<RouteDefinition> definitions = parse(previous.content(), file);
            ((ModelCamelContext) context).addRouteDefinitions(definitions);
            loaded.put(file, previous);
            return "; its previous version keeps running";
        } catch (Exception e) {
            LOG.error("Could not restore the previous routes of {}: {}", file.getFileName(), message(e));
            return "; its previous version could not be restored";
        }
    }

    private void fail(Path file, String digest, String error) {
        String name = file.getFileName().toString();
        List<String> running = loaded.containsKey(file) ? loaded.get(file).routeIds() : List.of();
        failedDigests.put(file, digest);
        refused.remove(file);
        statuses.put(name, new RouteFileStatus(name, RouteFileStatus.State.FAILED, running, error, Instant.now()));
        LOG.error("Route file {} {}", name, error);
    }

    private void refuse(Path file, String digest, List<String> reasons, String outcome) {
        String name = file.getFileName().toString();
        List<String> running = loaded.containsKey(file) ? loaded.get(file).routeIds() : List.of();
        failedDigests.put(file, digest);
        refused.add(file);
        String error = "refused: " + String.join("; ", reasons) + outcome;
        statuses.put(name, new RouteFileStatus(name, RouteFileStatus.State.REFUSED, running, error, Instant.now()));
        LOG.error("Route file {} {}", directory.resolve(name), error);
    }

    private void unload(Path file, String why) {
        LoadedFile previous = loaded.remove(file);
        removeRoutes(previous.routeIds());
        statuses.remove(file.getFileName().toString());
        failedDigests.remove(file);
        refused.remove(file);
        LOG.info("Removed routes {} of {} {}", previous.routeIds(), why, file.getFileName());
    }

    private void removeRoutes(Collection<String> routeIds) {
        for (String id : routeIds) {
            try {
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
                RouteDefinition definition = ((ModelCamelContext) context).getRouteDefinition(id);
                if (definition != null) {
                    ((ModelCamelContext) context).removeRouteDefinition(definition);
                }
            } catch (Exception e) {
                LOG.warn("Could not remove route {}: {}", id, message(e));
            }
        }
    }

    private List<RouteDefinition> parse(byte[] content, Path file) throws Exception {
        String extension = extension(file);
        // Parse the bytes already read, so what is loaded is exactly what was digested.
        Resource resource = ResourceHelper.fromBytes("file:" + file, content);
        Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource), false);
        List<RouteDefinition> definitions = new ArrayList<>();
        for (RoutesBuilder builder : builders) {
            if (!(builder instanceof RouteBuilder routeBuilder)) {
                throw new IllegalArgumentException("unsupported content in a ." + extension + " route file");
            }
            definitions.addAll(routeBuilder.configureRoutes(context).getRoutes());
        }
        if (definitions.isEmpty()) {
            throw new IllegalArgumentException("no route found; a route file holds Camel routes (YAML or XML DSL)");
        }
        for (RouteDefinition definition : definitions) {
            if (definition.getRouteId() == null) {
                throw new IllegalArgumentException("every route needs an id, so that a change of the file replaces exactly its routes");
            }
        }
        return definitions;
    }

    private void checkIdsAreFree(Path file, List<RouteDefinition> definitions) {
        Map<String, Long> counts = definitions.stream().collect(Collectors.groupingBy(RouteDefinition::getRouteId, Collectors.counting()));
        counts.forEach((id, n) -> {
            if (n > 1) {
                throw new IllegalArgumentException("route id '" + id + "' is used " + n + " times; make route ids unique");
            }
        });
        loaded.forEach((other, content) -> {
            if (!other.equals(file)) {
                for (String id : content.routeIds()) {
                    if (counts.containsKey(id)) {
                        throw new IllegalArgumentException("route id '" + id + "' is already used by " + other.getFileName() + "; rename one of them");
                    }
                }
            }
        });
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.error("Scanning {} failed: {}", directory, e.getMessage(), e);
        }
    }

    private static boolean isRouteFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && !name.startsWith(".") && EXTENSIONS.contains(extension(file));
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase();
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String message(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && (text.length() == 0 || !text.toString().contains(t.getMessage()))) {
                if (text.length() > 0) {
                    text.append(": ");
                }
                text.append(t.getMessage());
            }
        }
        return text.length() == 0 ? e.getClass().getSimpleName() : text.toString();
    }

    @Override
    public void close() {
        if (executor != null) {
            context.getExecutorServiceManager().shutdownNow(executor);
        }
    }
}
