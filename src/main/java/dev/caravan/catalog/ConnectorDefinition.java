package dev.caravan.catalog;

import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import java.util.Objects;

/**
 * A connector of the catalog: its metadata entry, the instance built from it, and where it came from ({@code origin}:
 * {@value #BUILT_IN} for the connectors inside the server's jar, else the plugin's jar or folder).
 */
public record ConnectorDefinition(String name, ConnectorKind kind, String version, String title, String description,
                                  String implementation, Object connector, ConnectorSpec spec, String sdkVersion, String origin) {
    public static final String BUILT_IN = "built-in";

    public ConnectorDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(sdkVersion, "sdkVersion");
        Objects.requireNonNull(origin, "origin");
    }

    /** This definition with {@code replacement} as its connector (a plugin's connector wrapped for its class loader context). */
    ConnectorDefinition withConnector(Object replacement) {
        return new ConnectorDefinition(name, kind, version, title, description, implementation, replacement, spec, sdkVersion, origin);
    }

    public boolean builtIn() {
        return BUILT_IN.equals(origin);
    }
}
