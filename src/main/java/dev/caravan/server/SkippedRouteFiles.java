package dev.caravan.server;

import dev.caravan.config.ConnectionConfig;
import dev.caravan.routes.RouteGenerator;
import dev.caravan.service.ConfigService;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The generated route files a one-shot run leaves unloaded ({@link ServerSettings#ROUTES_ONLY_CONNECTIONS}): those of
 * every connection with generated routes that is not one it syncs. Asked at every scan of the route directory, so worked
 * out again only when the stored definitions changed.
 */
final class SkippedRouteFiles implements Supplier<Set<String>> {
    private final ConfigService configs;
    private final Set<String> loadedConnections;
    private long version = -1;
    private Set<String> files = Set.of();

    SkippedRouteFiles(ConfigService configs, Set<String> loadedConnections) {
        this.configs = configs;
        this.loadedConnections = Set.copyOf(loadedConnections);
    }

    @Override
    public synchronized Set<String> get() {
        long current = configs.version();
        if (current != version) {
            files = configs.current().connections().stream()
                    .filter(c -> c.generatedRoutes() && !loadedConnections.contains(c.name()))
                    .map(ConnectionConfig::name).map(RouteGenerator::fileName).collect(Collectors.toUnmodifiableSet());
            version = current;
        }
        return files;
    }
}
