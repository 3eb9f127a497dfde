package dev.caravan.spi;

/**
 * A source of records: spec → check → discover → read. Implementations are stateless and thread-safe;
 * each call receives the validated configuration. Expected failures (wrong password, unreachable host)
 * are reported by {@link #check} as a failed {@link CheckResult}, and elsewhere as {@link CaravanException}.
 */
public interface SourceConnector {

    ConnectorSpec spec();

    CheckResult check(ConnectorConfig config);

    Catalog discover(ConnectorConfig config);

    /** Opens a reader that resumes strictly after {@code request.state()}. */
    StreamReader read(ConnectorConfig config, ReadRequest request);
}
