package dev.caravan.server;

import dev.caravan.catalog.ConnectorCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import dev.caravan.spi.CaravanException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans the plugin folders every interval so that a plugin dropped into one while the server runs joins the catalog (as
 * route files join the route directory). A failing scan is logged and the next one tries again.
 */
final class PluginFolderWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginFolderWatcher.class);
    private final ScheduledExecutorService scanner;

    private PluginFolderWatcher(ScheduledExecutorService scanner) {
        this.scanner = scanner;
    }

    /** Creates the plugin folders that do not exist yet, so that plugins can be dropped into them. */
    static void createFolders(List<Path> folders) {
        for (Path folder : folders) {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw CaravanException.config("Cannot create the plugin folder " + folder + " (" + ServerSettings.PLUGINS_DIRS + "): "
                        + e.getMessage() + "; create it, or name another folder");
            }
        }
    }

    /** Scans every {@code interval}; zero = never (plugins load at start only). */
    static PluginFolderWatcher start(ConnectorCatalog catalog, Duration interval) {
        if (interval.isZero() || catalog.pluginFolders().isEmpty()) {
            return new PluginFolderWatcher(null);
        }
        ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "caravan-plugin-scan");
            thread.setDaemon(true);
            return thread;
        });
        scanner.scheduleWithFixedDelay(() -> {
            try {
                catalog.scan();
            } catch (RuntimeException e) {
                LOG.warn("Scanning the plugin folders {} failed; trying again in {} ms", catalog.pluginFolders(), interval.toMillis(), e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new PluginFolderWatcher(scanner);
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
    }
}
