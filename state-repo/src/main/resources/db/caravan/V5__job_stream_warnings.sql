-- What a source says about a read that an operator should know (e.g. rows added later at the last cursor value that the
-- next sync will not read), as a JSON array of sentences; null when there is none.
ALTER TABLE caravan_job_stream ADD COLUMN warnings VARCHAR;
