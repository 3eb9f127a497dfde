package dev.caravan.cli;

import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.catalog.ConnectorDefinition;
import dev.caravan.catalog.SpecJsonSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code caravan spec [connector]}: lists the connectors, or prints one connector's configuration spec. */
@Command(name = "spec", mixinStandardHelpOptions = true, description = "List connectors or print a connector's config spec (JSON Schema).")
final class SpecCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", description = "Connector name, e.g. faker or local.")
    String connector;

    @Override
    public Integer call() {
        ConnectorCatalog catalog = ConnectorCatalog.load();
        if (connector == null) {
            for (ConnectorDefinition definition : catalog.all()) {
                System.out.printf("%-12s %-12s %-8s %s%n", definition.name(), definition.kind().name().toLowerCase(), definition.version(), definition.title());
            }
            return 0;
        }
        for (ConnectorDefinition definition : catalog.all()) {
            if (definition.name().equals(connector)) {
                System.out.print(SpecJsonSchema.renderText(definition.spec()));
                return 0;
            }
        }
        System.err.println("caravan: no connector named '" + connector + "'; run `caravan spec` to list them");
        return 2;
    }
}
