-- 0021 Appointments (issue 19): Marten's table of the appointments per case (read model CaseAppointments: the
-- week view, the next appointment, the reminder "Termin morgen" and the calendar feed read it; deleted with an
-- erasure), and the personal calendar feeds: one per user, only the SHA-256 hash of the secret token is stored.

CREATE TABLE cases.calendar_feeds (
    user_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_calendar_feeds" PRIMARY KEY (user_id)
);

CREATE UNIQUE INDEX ix_calendar_feeds_token_hash ON cases.calendar_feeds (token_hash);

CREATE TABLE IF NOT EXISTS marten.mt_doc_caseappointments (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  uuid                        NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_dotnet_type      varchar                     NULL,
    mt_version          bigint                      NOT NULL DEFAULT 0,
CONSTRAINT pkey_mt_doc_caseappointments_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON marten.mt_doc_caseappointments;
ALTER TABLE marten.mt_doc_caseappointments NO FORCE ROW LEVEL SECURITY;
ALTER TABLE marten.mt_doc_caseappointments DISABLE ROW LEVEL SECURITY;
