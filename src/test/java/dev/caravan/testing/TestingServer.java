package dev.caravan.testing;

import dev.caravan.routes.RouteFileStatus;
import dev.caravan.server.CaravanServer;
import dev.caravan.server.ServerSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * A Caravan server in this JVM with its home (routes, embedded state database) in a temporary directory. By default
 * authentication is off and the Hawtio console is not served; pass settings to change that.
 */
public final class TestingServer implements AutoCloseable {
    private final CaravanServer server;
    private final Path home;

    /** A server that does not retry failed jobs (tests of retries say how they want them). */
    public TestingServer(Path home) {
        this(home, Map.of(ServerSettings.SYNC_MAX_ATTEMPTS, "1"));
    }

    /** @param settings server settings ({@link ServerSettings} keys) over the test defaults */
    public TestingServer(Path home, Map<String, String> settings) {
        this.home = home;
        Map<String, String> all = new HashMap<>(Map.of(
                ServerSettings.HOME, home.toString(),
                ServerSettings.ROUTES_SCAN_INTERVAL_MS, "200",
                ServerSettings.HTTP_PORT, "0",
                ServerSettings.STATE_URL, "jdbc:h2:file:" + home.resolve("data/state") + ";WRITE_DELAY=0",
                ServerSettings.AUTH_ENABLED, "false",
                ServerSettings.HAWTIO_ENABLED, "false"));
        all.putAll(settings);
        this.server = CaravanServer.start(ServerSettings.load(all));
    }

    public CaravanServer server() {
        return server;
    }

    public Path home() {
        return home;
    }

    public String apiUrl() {
        return server.apiUrl();
    }

    /** The server's root URL, e.g. {@code http://127.0.0.1:41234} (for /metrics and /hawtio). */
    public String baseUrl() {
        return server.apiUrl().substring(0, server.apiUrl().length() - "/api/v1".length());
    }

    public Path routes() {
        return server.settings().routesDirectory();
    }

    /**
     * Waits (up to 30 s) until the route with {@code id} is started and is not {@code replaced} (null: any), e.g. after
     * writing its file into {@link #routes()}; a route is in the context a moment before its consumer has started.
     */
    public Route awaitStartedRoute(String id, Route replaced) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Route current = server.camelContext().getRoute(id);
            if (current != null && current != replaced && server.camelContext().getRouteController().getRouteStatus(id) == ServiceStatus.Started) {
                return current;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("route " + id + " was not (re)loaded and started within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Waits (see {@link Await}) until route files are loaded; fails at once, with the reason, when one fails or is refused. */
    public void awaitLoaded(String... files) throws InterruptedException {
        Await.until(String.join(", ", files) + " loaded", () -> {
            Map<String, RouteFileStatus> statuses = server.routeFiles();
            for (String file : files) {
                RouteFileStatus status = statuses.get(file);
                if (status != null && !status.loaded()) {
                    throw new AssertionError(file + ": " + status.state() + " " + status.error());
                }
            }
            return Arrays.stream(files).allMatch(statuses::containsKey);
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
