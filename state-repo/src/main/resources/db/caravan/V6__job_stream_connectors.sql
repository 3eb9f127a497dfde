-- The connectors (with their catalog versions) that ran each stream of each job, e.g. 'faker 0.1.0 -> local 0.1.0':
-- a plugin upgraded between two jobs shows in the history.
ALTER TABLE caravan_job_stream ADD COLUMN connectors VARCHAR(1024);
