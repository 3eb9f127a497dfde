package dev.caravan.server;

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
final class ConnectionRoutes {
    private final RouteGenerator generator = new RouteGenerator();
    private final RouteDirectoryWatcher watcher;

    ConnectionRoutes(RouteDirectoryWatcher watcher) {
        this.watcher = watcher;
    }

    /** Writes the files of the connections, loads them now, and reports any that failed to load. */
    void write(Collection<ConnectionConfig> connections) {
        List<Path> files = new ArrayList<>();
        Map<String, RouteFileStatus> statuses = watcher.scanAfter(() -> {
            for (ConnectionConfig connection : connections) {
                files.add(generator.write(watcher.directory(), connection));
            }
        });
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

    void delete(String connection) {
        try {
            Files.deleteIfExists(watcher.directory().resolve(RouteGenerator.fileName(connection)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        watcher.scan();
    }
}
