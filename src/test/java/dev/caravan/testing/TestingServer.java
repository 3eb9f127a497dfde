package dev.caravan.testing;

import dev.caravan.server.CaravanServer;
import dev.caravan.server.ServerSettings;
import java.nio.file.Path;
import java.util.Map;

/** A Caravan server in this JVM with its home (routes, embedded state database) in a temporary directory. */
public final class TestingServer implements AutoCloseable {
    private final CaravanServer server;
    private final Path home;

    public TestingServer(Path home) {
        this.home = home;
        this.server = CaravanServer.start(ServerSettings.load(Map.of(
                ServerSettings.HOME, home.toString(),
                ServerSettings.ROUTES_SCAN_INTERVAL_MS, "200",
                ServerSettings.HTTP_PORT, "0",
                ServerSettings.STATE_URL, "jdbc:h2:file:" + home.resolve("data/state"))));
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

    public Path routes() {
        return server.settings().routesDirectory();
    }

    @Override
    public void close() {
        server.close();
    }
}
