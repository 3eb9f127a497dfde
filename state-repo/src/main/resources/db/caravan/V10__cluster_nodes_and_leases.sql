-- Cluster mode (caravan.cluster.enabled): the nodes sharing this store, with their heartbeats, and one lease per
-- connection held by the node running its job. A lease whose node stopped beating is taken over by another node.
CREATE TABLE caravan_node (
    node_id      VARCHAR(128) NOT NULL PRIMARY KEY,
    api_url      VARCHAR(512),
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE caravan_connection_lease (
    connection_name VARCHAR(64)  NOT NULL PRIMARY KEY,
    node_id         VARCHAR(128) NOT NULL,
    job_id          BIGINT,
    acquired_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The node a job ran on (null in single-node mode).
ALTER TABLE caravan_job ADD COLUMN node_id VARCHAR(128);

-- Bumped with every change of caravan_definition: nodes poll it to know when to regenerate their connections' routes.
CREATE TABLE caravan_definition_version (
    id      INT    NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO caravan_definition_version (id, version) VALUES (1, 0);
