package dev.caravan.jmx;

import dev.caravan.jobs.SyncCoordinator.RunningJob;
import dev.caravan.jobs.SyncCoordinator;
import dev.caravan.jobs.SyncRefusedException;
import dev.caravan.service.ControlPlane;
import dev.caravan.service.JobHistory;
import dev.caravan.service.Schedules;
import dev.caravan.state.JobRecord;
import dev.caravan.spi.CaravanException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;

/** The MBean of one connection: reads the job history and the scheduler, starts syncs through the coordinator. */
final class Connection implements ConnectionMBean {
    private final String name;
    private final JobHistory jobs;
    private final SyncCoordinator coordinator;
    private final ControlPlane controlPlane;
    private final Schedules schedules;

    Connection(String name, JobHistory jobs, SyncCoordinator coordinator, ControlPlane controlPlane, Schedules schedules) {
        this.name = name;
        this.jobs = jobs;
        this.coordinator = coordinator;
        this.controlPlane = controlPlane;
        this.schedules = schedules;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getStatus() {
        return coordinator.running(name).isPresent() ? "running" : "idle";
    }

    @Override
    public long getRunningJobId() {
        return coordinator.running(name).map(RunningJob::id).orElse(-1L);
    }

    @Override
    public long getLastJobId() {
        return last().map(JobRecord::id).orElse(-1L);
    }

    @Override
    public String getLastJobStatus() {
        return last().map(j -> j.status().name().toLowerCase()).orElse("");
    }

    @Override
    public String getLastSyncTime() {
        return last().map(j -> j.endedAt() == null ? j.startedAt() : j.endedAt()).map(Object::toString).orElse("");
    }

    @Override
    public long getLastSyncRecords() {
        return last().map(JobRecord::records).orElse(-1L);
    }

    @Override
    public long getLastSyncBytes() {
        return last().map(JobRecord::bytes).orElse(-1L);
    }

    @Override
    public String getNextFireTime() {
        return schedules.nextFireTime(name).map(Object::toString).orElse("");
    }

    @Override
    public String[] getLastSchemaChanges() {
        return last().map(j -> j.allSchemaChanges().stream().map(c -> c.summary() + ": " + c.note())
                .distinct().toArray(String[]::new)).orElse(new String[0]);
    }

    @Override
    public String acceptSchemaChanges() {
        return String.join(",", controlPlane.acceptSchema(name, List.of()));
    }

    @Override
    public long syncNow() {
        return start(Set.of());
    }

    @Override
    public long syncStreams(String streams) {
        Set<String> names = Arrays.stream(streams == null ? new String[0] : streams.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name the streams to sync, separated by commas (syncNow syncs them all)");
        }
        return start(names);
    }

    private long start(Set<String> streams) {
        try {
            return coordinator.start(name, "jmx", null, streams).map(RunningJob::id).orElseThrow(() -> new IllegalStateException(
                    "connection " + name + " is already running job " + getRunningJobId()));
        } catch (SyncRefusedException e) {
            // a JDK exception: a JMX client may not have Caravan's classes
            throw new IllegalStateException(e.getMessage());
        } catch (CaravanException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Override
    public long replay(long jobId) {
        JobRecord original = jobs.find(jobId).orElseThrow(() -> new IllegalArgumentException("job " + jobId + " does not exist"));
        if (!original.connection().equals(name)) {
            throw new IllegalArgumentException("job " + jobId + " belongs to connection " + original.connection() + ", not " + name);
        }
        try {
            return coordinator.replay(jobId).map(RunningJob::id).orElseThrow(() -> new IllegalStateException(
                    "connection " + name + " is running job " + getRunningJobId() + "; replay when it has ended"));
        } catch (SyncRefusedException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    @Override
    public String reset() {
        return String.join(",", controlPlane.reset(name, List.of()));
    }

    private Optional<JobRecord> last() {
        List<JobRecord> last = jobs.list(name, 1);
        return last.isEmpty() ? Optional.empty() : Optional.of(last.get(0));
    }
}
