package dev.caravan.sync;

import dev.caravan.spi.ConnectorConfig;
import dev.caravan.spi.DestinationConnector;
import dev.caravan.spi.SourceConnector;

/** Finds the connector and validated configuration behind a source or destination name. */
public interface ConnectorResolver {

    /** A source's connector, with the catalog version of that connector ({@code version}, recorded with every job). */
    record ResolvedSource(String name, SourceConnector connector, ConnectorConfig config, String version) {
        public ResolvedSource(String name, SourceConnector connector, ConnectorConfig config) {
            this(name, connector, config, "unknown");
        }

        /** The connector and its version, e.g. {@code postgres 0.1.0}, as the job history records it. */
        public String label() {
            return connector.spec().name() + " " + version;
        }
    }

    /** A destination's connector, with the catalog version of that connector. */
    record ResolvedDestination(String name, DestinationConnector connector, ConnectorConfig config, String version) {
        public ResolvedDestination(String name, DestinationConnector connector, ConnectorConfig config) {
            this(name, connector, config, "unknown");
        }

        public String label() {
            return connector.spec().name() + " " + version;
        }
    }

    /** @throws dev.caravan.spi.CaravanException of type CONFIG naming the source when it is unknown */
    ResolvedSource source(String name);

    /** @throws dev.caravan.spi.CaravanException of type CONFIG naming the destination when it is unknown */
    ResolvedDestination destination(String name);
}
