-- 0012 The client case's write model as an inline snapshot (marten.mt_doc_clientcase): a command loads one
-- small document instead of replaying the stream (benchmark scenario 1). Existing cases get their snapshot
-- from `rebuild-projections` (run.sh runs it at every start; operators run it once after this release).
-- From `schema-diff`; reviewed.

CREATE TABLE IF NOT EXISTS marten.mt_doc_clientcase (
    tenant_id           varchar                     NOT NULL DEFAULT '*DEFAULT*',
    id                  uuid                        NOT NULL,
    data                jsonb                       NOT NULL,
    mt_last_modified    timestamp with time zone    NULL DEFAULT (transaction_timestamp()),
    mt_dotnet_type      varchar                     NULL,
    mt_version          bigint                      NOT NULL DEFAULT 0,
CONSTRAINT pkey_mt_doc_clientcase_tenant_id_id PRIMARY KEY (tenant_id, id)
);
DROP POLICY IF EXISTS marten_tenant_isolation ON marten.mt_doc_clientcase;
ALTER TABLE marten.mt_doc_clientcase NO FORCE ROW LEVEL SECURITY;
ALTER TABLE marten.mt_doc_clientcase DISABLE ROW LEVEL SECURITY;
