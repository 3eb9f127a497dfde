package dev.caravan.service;

import dev.caravan.jobs.JobListener;
import dev.caravan.state.JobRecord;
import dev.caravan.sync.SchemaChange;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a connection whose job met a schema change under {@code schema_changes: pause}: its schedule is disabled once the
 * job has ended (the job's webhook has the changes, its error says why and what to do). Manual syncs still run, and the
 * changed streams keep stopping until their changes are accepted.
 */
public final class SchemaChangePause implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangePause.class);

    /** Set once the control plane exists (it is built after the coordinator that calls this listener). */
    private final AtomicReference<ControlPlane> controlPlane = new AtomicReference<>();

    public void bind(ControlPlane plane) {
        controlPlane.set(plane);
    }

    @Override
    public void jobEnded(JobRecord job) {
        List<String> paused = job.streams().stream().flatMap(s -> s.schemaChanges().stream())
                .filter(c -> c.action() == SchemaChange.Action.PAUSED).map(SchemaChange::summary).distinct().toList();
        ControlPlane plane = controlPlane.get();
        if (paused.isEmpty() || plane == null) {
            return;
        }
        plane.setEnabled(job.connection(), false);
        LOG.warn("Connection {} paused (schedule disabled) by job {}: schema_changes is pause and the source schema changed: {}. "
                + "Accept the changes (POST /api/v1/connections/accept-schema) and enable the connection to resume", job.connection(), job.id(),
                String.join("; ", paused));
    }
}
