package dev.caravan.spi;

/** A destination of records: spec → check → open a writer per stream and job. Stateless and thread-safe. */
public interface DestinationConnector {

    ConnectorSpec spec();

    CheckResult check(ConnectorConfig config);

    StreamWriter open(ConnectorConfig config, WriteRequest request);
}
