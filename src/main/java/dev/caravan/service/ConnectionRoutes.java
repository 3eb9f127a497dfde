package dev.caravan.service;

import dev.caravan.config.ConnectionConfig;
import dev.caravan.routes.RouteDirectoryWatcher;
import dev.caravan.routes.RouteFileStatus;
import dev.caravan.routes.RouteGenerator;
import dev.caravan.spi.ConfigException;
import dev.caravan.spi.ConfigProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Keeps each connection's generated route file in the route directory and waits until the watcher has (un)loaded it. */
public final class ConnectionRoutes {
    private final RouteGenerator generator = new RouteGenerator();
    private final RouteDirectoryWatcher watcher;

    public ConnectionRoutes(RouteDirectoryWatcher watcher) {
        this.watcher = watcher;
    }

    /**
     * Writes the files of the connections with generated routes (and removes the generated file of a connection now
     * {@code hand_written}), loads them now together with whatever the change of the store admits or stops in the other
     * route files, and reports any that failed to load.
     */
    void write(Collection<ConnectionConfig> connections) {
        List<Path> files = new ArrayList<>();
        watcher.configurationChanged();
        Map<String, RouteFileStatus> statuses = loadTogether(() -> {
            for (ConnectionConfig connection : connections) {
                if (connection.generatedRoutes()) {
                    files.add(generator.write(watcher.directory(), connection));
                } else {
                    deleteGenerated(connection.name());
                }
            }
        });
        requireLoaded(files, statuses);
    }

    /**
     * For connections whose stored definitions did not change: writes only the route files that are missing or differ
     * from what the definitions generate (loading them), leaves the others running, and reports any that is not loaded.
     */
    void restore(Collection<ConnectionConfig> connections) {
        List<Path> files = new ArrayList<>();
        List<ConnectionConfig> differing = new ArrayList<>();
        for (ConnectionConfig connection : connections) {
            if (connection.generatedRoutes()) {
                Path file = watcher.directory().resolve(RouteGenerator.fileName(connection.name()));
                files.add(file);
                if (!generator.rendersAs(file, connection)) {
                    differing.add(connection);
                }
            }
        }
        Map<String, RouteFileStatus> statuses = differing.isEmpty() ? watcher.statuses() : loadTogether(() -> {
            for (ConnectionConfig connection : differing) {
                generator.write(watcher.directory(), connection);
            }
        });
        requireLoaded(files, statuses);
    }

    private static void requireLoaded(List<Path> files, Map<String, RouteFileStatus> statuses) {
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
    }

    /**
     * After {@code connection} was deleted from the store: removes its generated route file (a hand_written connection's
     * files stay, and are refused from now on) and stops whatever else no longer has a connection.
     */
    void delete(ConnectionConfig connection) {
        watcher.configurationChanged();
        watcher.scanAfter(() -> {
            if (connection.generatedRoutes()) {
                try {
                    Files.deleteIfExists(watcher.directory().resolve(RouteGenerator.fileName(connection.name())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    /**
     * Cluster mode, after another node changed the store: writes the route files of all stored connections (unchanged
     * files are left as they are) and removes the generated files of connections no longer stored.
     */
    public void reconcile(Collection<ConnectionConfig> stored) {
        java.util.Set<String> names = new java.util.HashSet<>();
        stored.forEach(c -> names.add(RouteGenerator.fileName(c.name())));
        watcher.configurationChanged();
        loadTogether(() -> {
            for (ConnectionConfig connection : stored) {
                if (connection.generatedRoutes()) {
                    generator.writeIfChanged(watcher.directory(), connection);
                } else {
                    deleteGenerated(connection.name());
                }
            }
            try (java.util.stream.Stream<Path> files = Files.list(watcher.directory())) {
                for (Path file : files.toList()) {
                    if (!names.contains(file.getFileName().toString()) && Files.isRegularFile(file)
                            && RouteGenerator.isGenerated(Files.readString(file))) {
                        Files.delete(file);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * {@link RouteDirectoryWatcher#scanAfter} with the schedule triggers of the routes it starts stored together, a few
     * hundred per transaction, on a cluster node ({@link BatchingJobStore}).
     */
    private Map<String, RouteFileStatus> loadTogether(Runnable change) {
        java.util.concurrent.atomic.AtomicReference<Map<String, RouteFileStatus>> statuses = new java.util.concurrent.atomic.AtomicReference<>();
        BatchingJobStore.batched(() -> statuses.set(watcher.scanAfter(change)));
        return statuses.get();
    }

    /** Any other change of the store (a destination moved, a source deleted): the route files are admitted again. */
    void storeChanged() {
        watcher.configurationChanged();
        watcher.scan();
    }

    private void deleteGenerated(String connection) {
        Path file = watcher.directory().resolve(RouteGenerator.fileName(connection));
        try {
            if (Files.isRegularFile(file) && RouteGenerator.isGenerated(Files.readString(file))) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
