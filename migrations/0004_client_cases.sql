-- 0004 Client cases: the case-number counter (EF side table, schema cases) and the inline read model
-- CaseSummary (Marten document, conjoined tenancy). EF part from `ef-script`, Marten part from
-- `schema-diff` against a database holding 0001–0003; reviewed.

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = 'cases') THEN
        CREATE SCHEMA cases;
    END IF;
END $EF$;

CREATE TABLE cases.case_number_series (
    tenant_id character varying(64) NOT NULL,
    year integer NOT NULL,
    last_number integer NOT NULL,
    CONSTRAINT "PK_case_number_series" PRIMARY KEY (tenant_id, year)
);

CREATE TABLE IF NOT EXISTS marten.mt_doc_casesummary (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  uuid                        NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_dotnet_type      varchar                     NULL,
    mt_version          bigint                      NOT NULL DEFAULT 0,
CONSTRAINT pkey_mt_doc_casesummary_tenant_id_id PRIMARY KEY (tenant_id, id)
);

CREATE INDEX mt_doc_casesummary_idx_manager_id ON marten.mt_doc_casesummary USING btree ((CAST(data ->> 'managerId' as uuid)));
DROP POLICY IF EXISTS marten_tenant_isolation ON marten.mt_doc_casesummary;
ALTER TABLE marten.mt_doc_casesummary NO FORCE ROW LEVEL SECURITY;
ALTER TABLE marten.mt_doc_casesummary DISABLE ROW LEVEL SECURITY;


