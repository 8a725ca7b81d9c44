-- 0018 Immediate evaluation out of the request path (issue 15): every commit that changes a case writes a row
-- here in the same transaction; the dispatcher on the job nodes takes the rows (FOR UPDATE SKIP LOCKED), evaluates
-- the cases' reminders and deletes them in the transaction that did it. Ids only.

CREATE TABLE cases.case_changes (
    case_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    moved boolean NOT NULL,
    CONSTRAINT "PK_case_changes" PRIMARY KEY (case_id)
);

CREATE INDEX ix_case_changes_changed_at ON cases.case_changes (changed_at);
