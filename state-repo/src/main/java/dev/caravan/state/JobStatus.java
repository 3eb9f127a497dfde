package dev.caravan.state;

/** Lifecycle of a job and of each stream within it. */
public enum JobStatus {
    RUNNING, SUCCEEDED, FAILED,
    /** Stopped on request; what was durable before the request stays committed. */
    CANCELLED,
    /** The server stopped (or was killed) while the job ran; found and marked on the next start. */
    INTERRUPTED
}
