package dev.caravan.service;

import dev.caravan.catalog.ConnectorCatalog;
import dev.caravan.catalog.ConnectorDefinition;
import dev.caravan.config.DestinationConfig;
import dev.caravan.config.SourceConfig;
import dev.caravan.spi.CaravanException;
import dev.caravan.sync.ConnectorResolver;

/** Resolves source and destination names to connectors through what has been applied to the metadata store. */
public final class StoreConnectorResolver implements ConnectorResolver {
    private final ConnectorCatalog catalog;
    private final ConfigService configs;

    public StoreConnectorResolver(ConnectorCatalog catalog, ConfigService configs) {
        this.catalog = catalog;
        this.configs = configs;
    }

    @Override
    public ResolvedSource source(String name) {
        SourceConfig source = configs.source(name).orElseThrow(() -> CaravanException.config(
                "Source '" + name + "' does not exist; apply a source with this name first (caravan apply)"));
        return new ResolvedSource(name, catalog.source(source.connector()).orElseThrow(), configs.sourceConfig(source), version(source.connector()));
    }

    @Override
    public ResolvedDestination destination(String name) {
        DestinationConfig destination = configs.destination(name).orElseThrow(() -> CaravanException.config(
                "Destination '" + name + "' does not exist; apply a destination with this name first (caravan apply)"));
        return new ResolvedDestination(name, catalog.destination(destination.connector()).orElseThrow(), configs.destinationConfig(destination),
                version(destination.connector()));
    }

    private String version(String connector) {
        return catalog.definition(connector).map(ConnectorDefinition::version).orElse("unknown");
    }
}
