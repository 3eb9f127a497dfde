package dev.caravan.catalog;

import dev.caravan.spi.ConnectorSpec;
import dev.caravan.spi.ConnectorSpec.ConnectorKind;
import java.util.Objects;

/** A connector of the catalog: its metadata entry and the instance built from it. */
public record ConnectorDefinition(String name, ConnectorKind kind, String version, String title, String description,
                                  String implementation, Object connector, ConnectorSpec spec) {
    public ConnectorDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(spec, "spec");
    }
}
