package dev.caravan.jobs;

import java.util.Optional;

/**
 * Where the one-job-per-connection rule is kept beyond this process: in cluster mode a lease in the shared metadata store,
 * so no two nodes run a job of the same connection at once. On a single node there is nothing to keep ({@link #LOCAL}).
 */
public interface ConnectionLeases {
    /** Takes the connection for a job of this node; when another node holds it, says who (e.g. "node b, job 12"). */
    Optional<String> acquire(String connection);

    /** Names the job now holding the connection's lease. */
    void attach(String connection, long jobId);

    void release(String connection);

    ConnectionLeases LOCAL = new ConnectionLeases() {
        @Override
        public Optional<String> acquire(String connection) {
            return Optional.empty();
        }

        @Override
        public void attach(String connection, long jobId) {
        }

        @Override
        public void release(String connection) {
        }
    };
}
