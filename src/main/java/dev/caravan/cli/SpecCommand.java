package dev.caravan.cli;

import dev.caravan.catalog.CatalogProblem;
import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.catalog.ConnectorDefinition;
import dev.caravan.catalog.SpecJsonSchema;
import dev.caravan.server.ServerSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan spec [connector]}: lists the connectors (built-in, and the plugins of the plugin folders the server
 * settings name), or prints one connector's configuration spec.
 */
@Command(name = "spec", mixinStandardHelpOptions = true, description = "List connectors or print a connector's config spec (JSON Schema).")
final class SpecCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", description = "Connector name, e.g. faker or local.")
    String connector;

    @Option(names = "--home", description = "Base directory the plugin folders are relative to (default: current directory).")
    Path home;

    @Option(names = "--plugins", description = "Plugin folders, comma separated (default: caravan.plugins.dirs, i.e. plugins).")
    String plugins;

    @Override
    public Integer call() {
        Map<String, String> overrides = new HashMap<>();
        if (home != null) {
            overrides.put(ServerSettings.HOME, home.toString());
        }
        if (plugins != null) {
            overrides.put(ServerSettings.PLUGINS_DIRS, plugins);
        }
        List<Path> folders = ServerSettings.load(overrides).pluginDirectories();
        try (ConnectorCatalog catalog = ConnectorCatalog.load(folders)) {
            for (CatalogProblem problem : catalog.problems()) {
                System.err.println("caravan: not loaded: " + problem);
            }
            if (connector == null) {
                for (ConnectorDefinition definition : catalog.all()) {
                    System.out.printf("%-12s %-12s %-8s %-5s %-40s %s%n", definition.name(), definition.kind().name().toLowerCase(),
                            definition.version(), definition.sdkVersion(), definition.title(), definition.origin());
                }
                return 0;
            }
            return catalog.definition(connector).map(definition -> {
                System.out.print(SpecJsonSchema.renderText(definition.spec()));
                return 0;
            }).orElseGet(() -> {
                System.err.println("caravan: no connector named '" + connector + "'; run `caravan spec` to list them");
                return 2;
            });
        }
    }
}
