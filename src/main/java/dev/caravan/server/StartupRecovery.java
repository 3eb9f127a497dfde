package dev.caravan.server;

import dev.caravan.config.DestinationConfig;
import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.ConnectorResolver.ResolvedDestination;
import dev.caravan.sync.StreamState;
import dev.caravan.sync.StreamStateStore;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every applied destination's {@link dev.caravan.spi.DestinationConnector#recover} once when the server starts,
 * before routes load and schedules fire: publishes a crash interrupted are finished or rolled back now, not at each
 * stream's next sync. A destination that cannot be recovered (a store that is down) is logged and left to its streams'
 * next syncs, which settle the same things; it never stops the server from starting.
 */
final class StartupRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StartupRecovery.class);

    private StartupRecovery() {
    }

    static void run(List<DestinationConfig> destinations, ConnectorResolver resolver, StreamStateStore states) {
        for (DestinationConfig destination : destinations) {
            try {
                ResolvedDestination resolved = resolver.destination(destination.name());
                String done = resolved.connector().recover(resolved.config(),
                        (connection, stream) -> states.load(connection, stream).map(StreamState::state).orElse(Map.of()));
                if (!done.isEmpty()) {
                    LOG.warn("Destination {}: settled what a crash left: {}", destination.name(), done.replace("\n", "; "));
                }
            } catch (RuntimeException e) {
                LOG.warn("Destination {}: could not settle what a crash may have left ({}); each stream's next sync does it",
                        destination.name(), e.getMessage());
            }
        }
    }
}
