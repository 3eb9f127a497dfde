package dev.caravan.state;

/** Lifecycle of a job and of each stream within it. */
public enum JobStatus {
    RUNNING, SUCCEEDED, FAILED,
    /** The server stopped (or was killed) while the job ran; found and marked on the next start. */
    INTERRUPTED
}
