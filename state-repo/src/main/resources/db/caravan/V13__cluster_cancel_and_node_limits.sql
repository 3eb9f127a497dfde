-- Cluster mode: a cancel of a RUNNING job asked through a node other than the one running it. The request names the
-- asking node; the running node polls for requests of its jobs and stops them (null: nobody asked).
ALTER TABLE caravan_job ADD COLUMN cancel_requested_by VARCHAR(128);
-- The worker limits each node runs with (caravan.sync.max-concurrent-jobs, caravan.sync.max-jobs-per-destination; 0 is
-- no limit), written with its heartbeat: nodes compare them and warn when live nodes disagree.
ALTER TABLE caravan_node ADD COLUMN max_concurrent_jobs INT;
ALTER TABLE caravan_node ADD COLUMN max_jobs_per_destination INT;
