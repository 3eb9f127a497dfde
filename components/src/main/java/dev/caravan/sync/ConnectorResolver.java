package dev.caravan.sync;

import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.SourceConnector;

/** Finds the connector and validated configuration behind a source or destination name. */
public interface ConnectorResolver {

    record ResolvedSource(String name, SourceConnector connector, ConnectorConfig config) {
    }

    record ResolvedDestination(String name, DestinationConnector connector, ConnectorConfig config) {
    }

    /** @throws dev.caravan.spi.CaravanException of type CONFIG naming the source when it is unknown */
    ResolvedSource source(String name);

    /** @throws dev.caravan.spi.CaravanException of type CONFIG naming the destination when it is unknown */
    ResolvedDestination destination(String name);
}
