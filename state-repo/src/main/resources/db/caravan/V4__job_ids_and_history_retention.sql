-- Job ids without gaps after a crash: H2 hands identity values out of a cache of 32 that an unclean stop (kill -9) loses,
-- so the next id jumped by 32. One value at a time, like PostgreSQL's default. Portable: H2 and PostgreSQL accept this form.
ALTER TABLE caravan_job ALTER COLUMN id SET CACHE 1;
ALTER TABLE caravan_stream_state_history ALTER COLUMN id SET CACHE 1;

-- caravan.retention.state-history-days deletes history rows by commit time.
CREATE INDEX caravan_state_history_committed ON caravan_stream_state_history (committed_at);
