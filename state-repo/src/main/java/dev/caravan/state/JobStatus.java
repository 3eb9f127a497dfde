package dev.caravan.state;

/** Lifecycle of a job and of each stream within it. */
public enum JobStatus {
    RUNNING, SUCCEEDED, FAILED,
    /** Stopped on a user's request (API, JMX); what was durable before the request stays committed. */
    CANCELLED,
    /** Not run: another job of the connection was running when it was triggered (overlap policy "skip"). */
    SKIPPED,
    /** Waiting for the running job of the connection to end (overlap policy "queue"). */
    QUEUED,
    /**
     * The server stopped while the job ran or was queued: recorded by a graceful stop, or on the next start for a job a
     * killed server left running. Its streams resume from their last committed state.
     */
    INTERRUPTED
}
