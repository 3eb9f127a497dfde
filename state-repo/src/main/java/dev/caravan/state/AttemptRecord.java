package dev.caravan.state;

import java.time.Instant;

/** One attempt of a job: a failed attempt is retried from the last committed state until the attempt limit. */
public record AttemptRecord(int attempt, JobStatus status, Instant startedAt, Instant endedAt, long records, long bytes,
                            String errorType, String errorMessage) {
}
