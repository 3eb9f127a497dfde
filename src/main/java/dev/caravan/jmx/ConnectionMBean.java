package dev.caravan.jmx;

/**
 * One connection, as seen in JConsole, Jolokia and Hawtio ({@code dev.caravan:type=Connection,name=<connection>}).
 * Times are ISO-8601 instants; absent values are empty strings (or -1 for numbers).
 */
public interface ConnectionMBean {

    String getName();

    /** {@code running} or {@code idle}. */
    String getStatus();

    long getRunningJobId();

    long getLastJobId();

    /** succeeded, failed, cancelled, interrupted, running — of the last job. */
    String getLastJobStatus();

    String getLastSyncTime();

    long getLastSyncRecords();

    long getLastSyncBytes();

    String getNextFireTime();

    /** The source schema changes the last job found, one line each with what was done (empty when none). */
    String[] getLastSchemaChanges();

    /** Starts a sync job in the background and returns its id; fails if the connection is already running. */
    long syncNow();

    /** Starts a sync of only the named streams (comma-separated) in the background and returns the job's id. */
    long syncStreams(String streams);

    /** Re-runs job {@code jobId} of this connection from the state it started at, into a new generation; returns the new job's id. */
    long replay(long jobId);

    /** Clears the state of every stream so the next sync starts over (in a new generation); returns the streams reset. */
    String reset();

    /** Accepts the current source schema of every stream (after a breaking change or a pause); returns the streams accepted. */
    String acceptSchemaChanges();
}
