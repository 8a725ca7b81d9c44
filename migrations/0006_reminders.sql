-- 0006 Reminders: the inbox table (EF side table, schema cases). The unique natural key makes every
-- reminder exist once however often the scan runs. From `ef-script`; reviewed.

CREATE TABLE cases.reminders (
    id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    kind character varying(40) NOT NULL,
    case_id uuid NOT NULL,
    subject_id uuid NOT NULL,
    due_on date NOT NULL,
    assignee_id uuid NOT NULL,
    audience character varying(20) NOT NULL,
    snoozed_until date,
    created_at timestamp with time zone NOT NULL,
    done_at timestamp with time zone,
    CONSTRAINT "PK_reminders" PRIMARY KEY (id)
);

CREATE INDEX ix_reminders_case ON cases.reminders (case_id);
CREATE INDEX ix_reminders_inbox ON cases.reminders (organisation_id, assignee_id, done_at);
CREATE UNIQUE INDEX ux_reminders_natural_key ON cases.reminders (organisation_id, kind, case_id, subject_id, due_on);
