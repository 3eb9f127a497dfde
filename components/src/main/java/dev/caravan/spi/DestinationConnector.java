package dev.caravan.spi;

import java.util.EnumSet;
import java.util.Set;

/** A destination of records: spec → check → open a writer per stream and job. Stateless and thread-safe. */
public interface DestinationConnector {

    ConnectorSpec spec();

    CheckResult check(ConnectorConfig config);

    StreamWriter open(ConnectorConfig config, WriteRequest request);

    /** The sync modes this destination implements; a connection asking for another is refused when applied. */
    default Set<SyncMode> supportedSyncModes() {
        return EnumSet.allOf(SyncMode.class);
    }
}
