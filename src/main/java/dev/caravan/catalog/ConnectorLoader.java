package dev.caravan.catalog;

import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.SourceConnector;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The one way a connector gets into the catalog, built-in or plugin: the implementations {@link ServiceLoader} finds in
 * a class loader ({@code META-INF/services/dev.caravan.spi.SourceConnector} / {@code ...DestinationConnector}), each with
 * its catalog entry from the same loader ({@link CatalogMetadata}). A connector that fails is a {@link CatalogProblem};
 * the others load.
 */
final class ConnectorLoader {
    private ConnectorLoader() {
    }

    record Loaded(List<ConnectorDefinition> definitions, List<CatalogProblem> problems) {
        Loaded {
            definitions = List.copyOf(definitions);
            problems = List.copyOf(problems);
        }
    }

    static Loaded load(ClassLoader loader, String origin) {
        List<ConnectorDefinition> definitions = new ArrayList<>();
        List<CatalogProblem> problems = new ArrayList<>();
        collect(SourceConnector.class, SourceConnector::spec, loader, origin, definitions, problems);
        collect(DestinationConnector.class, DestinationConnector::spec, loader, origin, definitions, problems);
        return new Loaded(definitions, problems);
    }

    private static <T> void collect(Class<T> type, Function<T, ConnectorSpec> specOf, ClassLoader loader, String origin,
                                    List<ConnectorDefinition> definitions, List<CatalogProblem> problems) {
        try {
            for (ServiceLoader.Provider<T> provider : ServiceLoader.load(type, loader).stream().toList()) {
                String implementation = provider.type().getName();
                try {
                    T connector = provider.get();
                    ConnectorSpec spec = specOf.apply(connector);
                    CatalogMetadata metadata = CatalogMetadata.of(spec, loader, !ConnectorDefinition.BUILT_IN.equals(origin));
                    definitions.add(new ConnectorDefinition(metadata.name(), metadata.kind(), metadata.version(), metadata.title(),
                            metadata.description(), implementation, connector, spec, metadata.sdkVersion(), origin));
                } catch (CatalogMetadata.LoadException e) {
                    problems.add(new CatalogProblem(origin, implementation + ": " + e.getMessage()));
                } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
                    problems.add(new CatalogProblem(origin, implementation + " cannot be created: " + describe(e)));
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            problems.add(new CatalogProblem(origin, "META-INF/services/" + type.getName() + " names a class that cannot be loaded: "
                    + describe(e)));
        }
    }

    /** The exception and its causes in one line: a plugin's loading errors are usually a missing class deep in the chain. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
