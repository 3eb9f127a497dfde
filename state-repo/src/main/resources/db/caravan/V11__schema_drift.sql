-- Schema change detection (docs/schema-changes.md). The schema each stream was last synced with: what the next sync
-- compares the source's discover with. JSON: fields (name, type, precision, scale, nullable), removed (columns gone from
-- the source and written as null), primary_key, selected (the connection's field selection then).
CREATE TABLE caravan_stream_schema (
    connection_name VARCHAR(64)  NOT NULL,
    stream_name     VARCHAR(256) NOT NULL,
    stream_schema   VARCHAR      NOT NULL,
    job_id          BIGINT,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (connection_name, stream_name)
);
-- What changed in the source's schema before each stream of each job and what was done about it, as a JSON array of
-- {stream, kind, column, from, to, action, breaking, note}; null when nothing changed.
ALTER TABLE caravan_job_stream ADD COLUMN schema_changes VARCHAR;
-- Changes of a connection's stream list (a stream new in the source) found by a job, same JSON as above.
ALTER TABLE caravan_job ADD COLUMN schema_changes VARCHAR;
-- The streams each source of a connection offered at its last check: a stream not in this list is new.
CREATE TABLE caravan_connection_streams (
    connection_name VARCHAR(64)  NOT NULL,
    source_name     VARCHAR(64)  NOT NULL,
    streams         VARCHAR      NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (connection_name, source_name)
);
