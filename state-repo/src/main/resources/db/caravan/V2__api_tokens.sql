-- API tokens: the credentials of the REST API, /metrics, Hawtio and Jolokia. Portable SQL (H2 and PostgreSQL).
-- Only a SHA-256 hash of each secret is kept; the secret itself is shown once, when the token is created.
CREATE TABLE caravan_token (
    name         VARCHAR(64)  NOT NULL PRIMARY KEY,
    role         VARCHAR(16)  NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by   VARCHAR(64)  NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX caravan_token_secret ON caravan_token (secret_hash);
