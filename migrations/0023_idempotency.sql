-- 0023 Idempotency-Key (issue 21): a creating request sent again with the same key by the same user is answered with
-- the first answer instead of creating a second time. A row per (user, key), kept 24 hours (the daily access-log purge
-- deletes older rows); the answer's body can carry case data: it stays in this database like the case itself, and an
-- erasure deletes the rows of the case (case_id).

CREATE TABLE cases.idempotency_keys (
    user_id uuid NOT NULL,
    key text NOT NULL,
    organisation_id uuid NOT NULL,
    request_hash bytea NOT NULL,
    status integer,
    location text,
    etag text,
    body bytea,
    case_id uuid,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_idempotency_keys" PRIMARY KEY (user_id, key)
);

CREATE INDEX ix_idempotency_keys_created_at ON cases.idempotency_keys (created_at);
CREATE INDEX ix_idempotency_keys_case ON cases.idempotency_keys (case_id);
