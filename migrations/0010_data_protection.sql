-- 0010 Data protection (DSGVO): the audit of erasures (who asked and confirmed, when, reason, legal basis;
-- case id and number only), the log of subject searches (who, when, purpose, number of results; not the
-- search words), the retention notices announced to the DPO (with holds), and Marten's table of the
-- pseudonymous records of erased cases. EF part from `ef-script`, Marten part from `schema-diff` against a
-- database holding 0001–0009; reviewed.

CREATE TABLE identity.erasures (
    id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    case_id uuid NOT NULL,
    case_number character varying(20) NOT NULL,
    reason character varying(2000) NOT NULL,
    legal_basis character varying(200) NOT NULL,
    trigger character varying(20) NOT NULL,
    status character varying(20) NOT NULL,
    requested_by uuid NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    confirmed_by uuid,
    confirmed_at timestamp with time zone,
    completed_at timestamp with time zone,
    CONSTRAINT "PK_erasures" PRIMARY KEY (id)
);

CREATE TABLE identity.retention_notices (
    case_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    case_number character varying(20) NOT NULL,
    closed_on date NOT NULL,
    due_on date NOT NULL,
    announced_on date NOT NULL,
    hold_reason character varying(1000),
    hold_by uuid,
    hold_at timestamp with time zone,
    CONSTRAINT "PK_retention_notices" PRIMARY KEY (case_id)
);


CREATE TABLE identity.subject_searches (
    id bigint GENERATED ALWAYS AS IDENTITY,
    organisation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    purpose character varying(200),
    results integer NOT NULL,
    CONSTRAINT "PK_subject_searches" PRIMARY KEY (id)
);

CREATE INDEX ix_erasures_case ON identity.erasures (organisation_id, case_id);
CREATE INDEX ix_retention_notices_org_due ON identity.retention_notices (organisation_id, due_on);
CREATE INDEX ix_subject_searches_org_at ON identity.subject_searches (organisation_id, at);

CREATE TABLE IF NOT EXISTS marten.mt_doc_erasedcase (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  uuid                        NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_dotnet_type      varchar                     NULL,
    mt_version          bigint                      NOT NULL DEFAULT 0,
CONSTRAINT pkey_mt_doc_erasedcase_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON marten.mt_doc_erasedcase;
ALTER TABLE marten.mt_doc_erasedcase NO FORCE ROW LEVEL SECURITY;
ALTER TABLE marten.mt_doc_erasedcase DISABLE ROW LEVEL SECURITY;
