package dev.caravan.spi;

import java.util.EnumSet;
import java.util.Set;

/** A destination of records: spec → check → open a writer per stream and job. Stateless and thread-safe. */
public interface DestinationConnector {

    /** What this connector is and the options it takes; see {@link SourceConnector#spec()}. */
    ConnectorSpec spec();

    /** Whether the destination can be written with this configuration; a fixable failure is a failed result, not an exception. */
    CheckResult check(ConnectorConfig config);

    /** Opens the writer of one stream for one job attempt; nothing it writes is visible to readers before {@link StreamWriter#commit}. */
    StreamWriter open(ConnectorConfig config, WriteRequest request);

    /**
     * Where a destination with this configuration writes, as a URI equal for any two configurations that write the same
     * place and different otherwise (an absolute directory, an endpoint + bucket + prefix). The server compares these
     * resolved locations, not destination names, so that no two streams of any connection or route file write the same
     * directory. Path segments are separated by {@code /} and the value never ends with one.
     */
    String location(ConnectorConfig config);

    /**
     * Settles what a crash left half done at this destination (a publish between its first and its last file, replaced
     * data past its grace period), given each stream's committed state. Called once when the server starts, before any
     * sync. A failure is reported, not thrown: the next sync of each stream settles the same things.
     *
     * @return what was done, for the server's log; empty when nothing was left
     */
    default String recover(ConnectorConfig config, CommittedStates states) {
        return "";
    }

    /** The sync modes this destination implements; a connection asking for another is refused when applied. */
    default Set<SyncMode> supportedSyncModes() {
        return EnumSet.allOf(SyncMode.class);
    }
}
