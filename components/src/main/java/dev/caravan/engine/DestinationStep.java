package dev.caravan.engine;

import dev.caravan.spi.CaravanException;
import dev.caravan.spi.ErrorType;
import dev.caravan.spi.RecordBatch;
import dev.caravan.spi.StreamWriter;
import dev.caravan.spi.WriteRequest;
import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.ConnectorResolver.ResolvedDestination;
import dev.caravan.sync.OutputGuard;
import java.util.Objects;

/**
 * Writes batches of a stream to one destination output (destination + namespace + prefix): opens the destination's
 * writer on the first batch of a session (after the output guard admits it), then writes each batch and tells the
 * session whether everything so far is durable.
 */
public final class DestinationStep {
    private final ConnectorResolver connectors;
    private final OutputGuard outputs;
    private final String destination;
    private final String namespace;
    private final String prefix;
    private final String key;

    /** {@code key} identifies this output among the session's writers (e.g. the endpoint URI). */
    public DestinationStep(ConnectorResolver connectors, OutputGuard outputs, String destination, String namespace, String prefix, String key) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.outputs = Objects.requireNonNull(outputs, "outputs");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.namespace = namespace == null ? "" : namespace;
        this.prefix = prefix == null ? "" : prefix;
        this.key = Objects.requireNonNull(key, "key");
    }

    /** Writes {@code batch}; returns whether every row written so far is durable (its checkpoint may commit). */
    public boolean write(SyncSession session, RecordBatch batch) {
        StreamWriter writer = session.writer(key, () -> open(session, batch));
        boolean durable = writer.write(batch);
        session.batchWritten(key, durable);
        return durable;
    }

    private StreamWriter open(SyncSession session, RecordBatch first) {
        outputs.check(session.job().connection(), session.stream(), destination, namespace, prefix);
        ResolvedDestination resolved = connectors.destination(destination);
        if (!resolved.connector().supportedSyncModes().contains(session.syncMode())) {
            throw new CaravanException(ErrorType.CONFIG, "Destination '" + resolved.name() + "' (" + resolved.connector().spec().name()
                    + ") does not support sync mode " + session.syncMode() + "; use one of " + resolved.connector().supportedSyncModes());
        }
        WriteRequest request = new WriteRequest(session.job().connection(), session.stream(), namespace, prefix, session.syncMode(),
                first.schema(), session.primaryKey(), session.job().jobId(), session.job().attempt(), session.generationId(),
                session.job().startedAt(), session.startState(), session.job().isReplay());
        session.destinationConnector(resolved.label());
        return resolved.connector().open(resolved.config(), request);
    }
}
