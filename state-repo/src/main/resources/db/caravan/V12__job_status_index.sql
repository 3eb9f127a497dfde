-- Running and queued jobs are looked up by status on every job start of a cluster with worker limits, and by the
-- failover check of every node: without an index each lookup scans the whole job history.
CREATE INDEX caravan_job_status ON caravan_job (status);
