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

    @Option(names = "--render", paramLabel = "PLUGIN", description = "Print the spec.json of each connector in this plugin jar "
            + "(or folder of jars), rendered from its code: what to publish in connector-catalog/<name>/spec.json.")
    Path render;

    @Override
    public Integer call() {
        if (render != null) {
            Map<String, String> specs;
            try {
                specs = ConnectorCatalog.renderSpecs(render);
            } catch (IllegalArgumentException e) {
                System.err.println("caravan: " + e.getMessage());
                return 2;
            }
            if (specs.isEmpty()) {
                System.err.println("caravan: no connector in " + render + ": list its class in META-INF/services/dev.caravan.spi.SourceConnector"
                        + " (or ...DestinationConnector)");
                return 2;
            }
            specs.entrySet().stream().filter(e -> connector == null || e.getKey().equals(connector)).forEach(e -> System.out.print(e.getValue()));
            return 0;
        }
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
