package dev.caravan.state;

/** Lifecycle of a job and of each stream within it. */
public enum JobStatus {
    RUNNING, SUCCEEDED, FAILED,
    /** Stopped on request; what was durable before the request stays committed. */
    CANCELLED,
    /** Not run: another job of the connection was running when it was triggered (overlap policy "skip"). */
    SKIPPED,
    /** Waiting for the running job of the connection to end (overlap policy "queue"). */
    QUEUED,
    /** The server stopped (or was killed) while the job ran; found and marked on the next start. */
    INTERRUPTED
}
