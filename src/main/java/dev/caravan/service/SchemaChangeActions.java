package dev.caravan.service;

import dev.caravan.config.ConnectionConfig;
import dev.caravan.jobs.JobListener;
import dev.caravan.state.JobRecord;
import dev.caravan.sync.SchemaChange;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the schema changes a job found, once it has ended (changing a connection regenerates its routes, which must not
 * happen while its streams run): under {@code schema_changes: pause} the connection's schedule is disabled (the job's
 * webhook has the changes; manual syncs still run and changed streams keep stopping until the changes are accepted);
 * under {@code propagate_all} streams new in the source are added to the connection.
 */
public final class SchemaChangeActions implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeActions.class);

    /** Set once the control plane exists (it is built after the coordinator that calls this listener). */
    private final AtomicReference<ControlPlane> controlPlane = new AtomicReference<>();
    private final ConfigService configs;

    public SchemaChangeActions(ConfigService configs) {
        this.configs = configs;
    }

    public void bind(ControlPlane plane) {
        controlPlane.set(plane);
    }

    @Override
    public void jobEnded(JobRecord job) {
        ControlPlane plane = controlPlane.get();
        List<SchemaChange> changes = job.allSchemaChanges();
        if (plane == null || changes.isEmpty()) {
            return;
        }
        List<String> newStreams = job.schemaChanges().stream()
                .filter(c -> c.kind() == SchemaChange.Kind.STREAM_ADDED && c.action() == SchemaChange.Action.APPLIED).map(SchemaChange::stream).toList();
        if (!newStreams.isEmpty()) {
            List<String> added = plane.addStreams(job.connection(), newStreams);
            LOG.info("Connection {}: streams {} new in the source added by job {} (schema_changes: propagate_all){}", job.connection(), added, job.id(),
                    added.size() < newStreams.size() ? "; not added: " + newStreams.stream().filter(s -> !added.contains(s)).toList()
                            + " (hand-written routes: add a route for them)" : "");
        }
        List<String> paused = changes.stream().filter(c -> c.action() == SchemaChange.Action.PAUSED).map(SchemaChange::summary).distinct().toList();
        if (paused.isEmpty()) {
            return;
        }
        if (configs.connection(job.connection()).map(ConnectionConfig::enabled).orElse(false)) {
            plane.setEnabled(job.connection(), false);
        }
        LOG.warn("Connection {} paused (schedule disabled) by job {}: schema_changes is pause and the source schema changed: {}. "
                + "Accept the changes (POST /api/v1/connections/accept-schema) and enable the connection to resume", job.connection(), job.id(),
                String.join("; ", paused));
    }
}
