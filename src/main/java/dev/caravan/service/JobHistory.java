package dev.caravan.service;

import dev.caravan.state.JobRecord;
import dev.caravan.state.JobRepository;
import dev.caravan.state.JobStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The job history as the REST API, JMX and the CLI read it: they go through this service, never through the repository,
 * which also records jobs (only the coordinator does that).
 */
public final class JobHistory {
    private final JobRepository jobs;

    public JobHistory(JobRepository jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    public Optional<JobRecord> find(long jobId) {
        return jobs.find(jobId);
    }

    /** The newest jobs of a connection first. */
    public List<JobRecord> list(String connection, int limit) {
        return jobs.list(connection, limit);
    }

    /** A page of the jobs of {@code connection} (all when empty) with one of {@code statuses} (any when empty), newest first. */
    public List<JobRecord> list(Optional<String> connection, Set<JobStatus> statuses, int limit, int offset) {
        return jobs.list(connection, statuses, limit, offset);
    }
}
