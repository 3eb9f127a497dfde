package dev.caravan.spi;

/**
 * A source of records: spec → check → discover → read. Implementations are stateless and thread-safe;
 * each call receives the validated configuration. Expected failures (wrong password, unreachable host)
 * are reported by {@link #check} as a failed {@link CheckResult}, and elsewhere as {@link CaravanException}.
 */
public interface SourceConnector {

    /**
     * What this connector is and the options it takes. Called once when the connector is loaded; its name and kind must
     * equal the catalog metadata's, and its options are the single source of the published {@code spec.json}.
     */
    ConnectorSpec spec();

    /**
     * Whether the source can be reached and read with this configuration (credentials, network, permissions). A failure
     * the user can fix is a failed result naming the cause and the fix, not an exception.
     */
    CheckResult check(ConnectorConfig config);

    /** The streams the source offers now, with their schemas, sync modes, primary keys and cursor candidates. */
    Catalog discover(ConnectorConfig config);

    /** Opens a reader that resumes strictly after {@code request.state()}. */
    StreamReader read(ConnectorConfig config, ReadRequest request);

    /**
     * Frees what this connector holds on the source for {@code stream} of a connection that is being deleted (e.g. a
     * replication slot, which would otherwise keep the server's log forever). Called once per stream after the
     * connection's state is gone; an exception is reported to the operator and does not undo the deletion. Nothing by
     * default. Since SDK 1.2.
     */
    default void release(ConnectorConfig config, String stream) {
    }
}
