-- When a scheduled job was meant to start (the Quartz trigger's scheduled fire time); null for manual, API and JMX jobs.
-- started_at - scheduled_at is the scheduler's lag. (V3, not V2: V2 is taken by API tokens in another branch.)
ALTER TABLE caravan_job ADD COLUMN scheduled_at TIMESTAMP WITH TIME ZONE;
