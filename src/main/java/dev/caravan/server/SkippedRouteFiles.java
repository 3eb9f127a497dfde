package dev.caravan.server;

import dev.caravan.config.ConnectionConfig;
import dev.caravan.routes.RouteGenerator;
import dev.caravan.service.RouteOwnership;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The generated route files a one-shot run leaves unloaded ({@link ServerSettings#ROUTES_ONLY_CONNECTIONS}): those of
 * every connection with generated routes that is not one it syncs. Asked at every scan of the route directory; the
 * connections come from {@link RouteOwnership}, which reads the store again only when its definitions changed.
 */
final class SkippedRouteFiles implements Supplier<Set<String>> {
    private final RouteOwnership ownership;
    private final Set<String> loadedConnections;

    SkippedRouteFiles(RouteOwnership ownership, Set<String> loadedConnections) {
        this.ownership = ownership;
        this.loadedConnections = Set.copyOf(loadedConnections);
    }

    @Override
    public Set<String> get() {
        return ownership.connections().stream()
                .filter(c -> c.generatedRoutes() && !loadedConnections.contains(c.name()))
                .map(ConnectionConfig::name).map(RouteGenerator::fileName).collect(Collectors.toUnmodifiableSet());
    }
}
