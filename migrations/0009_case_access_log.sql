-- 0009 Access log: every read of a case file (who, when, which case, channel, purpose where given).
-- Ids only; kept for AccessLog:RetentionMonths, then deleted by a daily job. From `ef-script`; reviewed.

CREATE TABLE identity.case_access_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    organisation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role character varying(40) NOT NULL,
    case_id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    channel character varying(10) NOT NULL,
    what character varying(40) NOT NULL,
    purpose character varying(200),
    CONSTRAINT "PK_case_access_log" PRIMARY KEY (id)
);

CREATE INDEX ix_case_access_log_case ON identity.case_access_log (organisation_id, case_id);
CREATE INDEX ix_case_access_log_org_at ON identity.case_access_log (organisation_id, at);
