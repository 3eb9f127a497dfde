package dev.caravan.engine;

import dev.caravan.spi.Catalog;
import dev.caravan.spi.ErrorClassifier;
import dev.caravan.sync.ConnectorResolver;
import dev.caravan.sync.ConnectorResolver.ResolvedSource;
import dev.caravan.sync.SchemaChange;
import dev.caravan.sync.SchemaChange.Action;
import dev.caravan.sync.SchemaChange.Kind;
import dev.caravan.sync.SchemaPolicy;
import dev.caravan.sync.StreamStateStore;
import dev.caravan.sync.SyncJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the streams a source offers now that it did not offer at the connection's last check, with the job's discover
 * (shared with the streams' schema checks). Under {@code propagate_all} they are to be added to the connection; under
 * {@code pause} the connection is to be paused (and the list is kept until the change is accepted); otherwise they are
 * noted once. Never throws: a source that cannot be discovered is left for the streams' own checks to report.
 */
public final class StreamListCheck {
    private static final Logger LOG = LoggerFactory.getLogger(StreamListCheck.class);

    private final ConnectorResolver connectors;
    private final StreamStateStore states;

    public StreamListCheck(ConnectorResolver connectors, StreamStateStore states) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.states = Objects.requireNonNull(states, "states");
    }

    /** @param configured every stream the connection syncs (also those this job does not) */
    public List<SchemaChange> check(SyncJob job, String connection, String source, SchemaPolicy policy, List<String> configured) {
        if (job.isReplay()) {
            return List.of();
        }
        Catalog catalog;
        try {
            ResolvedSource resolved = connectors.source(source);
            catalog = job.catalogs().of(source, () -> resolved.connector().discover(resolved.config()));
        } catch (RuntimeException e) {
            LOG.warn("New streams of source {} were not looked for in this job of {}: {}", source, connection, ErrorClassifier.message(e));
            return List.of();
        }
        List<String> offered = catalog.streamNames();
        Optional<List<String>> known = states.knownStreams(connection, source);
        List<SchemaChange> changes = new ArrayList<>();
        if (known.isPresent()) {
            for (String stream : offered) {
                if (!known.get().contains(stream) && !configured.contains(stream)) {
                    changes.add(added(stream, policy));
                }
            }
        }
        if (policy != SchemaPolicy.PAUSE || changes.isEmpty()) {
            states.saveKnownStreams(connection, source, offered);
        }
        changes.forEach(change -> LOG.info("Job {} of {}: source {} offers a new stream {}: {}", job.jobId(), connection, source, change.stream(),
                change.note()));
        return changes;
    }

    private static SchemaChange added(String stream, SchemaPolicy policy) {
        return switch (policy) {
            case PROPAGATE_ALL -> new SchemaChange(stream, Kind.STREAM_ADDED, null, null, null, Action.APPLIED, false,
                    "added to the connection (full_refresh_overwrite, all fields) when this job ends; it syncs from the next job");
            case PAUSE -> new SchemaChange(stream, Kind.STREAM_ADDED, null, null, null, Action.PAUSED, false,
                    "the connection is paused (schema_changes: pause). Fix: add the stream to the connection if wanted, accept the schema "
                            + "changes, then enable the connection");
            default -> new SchemaChange(stream, Kind.STREAM_ADDED, null, null, null, Action.NOTED, false,
                    "not synced: schema_changes is " + policy.configName() + "; add the stream to the connection to sync it");
        };
    }
}
