-- 0013 The state of an organisation's daily reminder run (issue 14): when it ran last and what it did, and the
-- cases it could not plan (ids and a problem code only — no case content). Shown to the organisation's
-- administrators on "Hintergrundaufträge"; every other case still gets its reminders.

CREATE TABLE cases.reminder_runs (
    organisation_id uuid NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone NOT NULL,
    cases integer NOT NULL,
    created integer NOT NULL,
    failed integer NOT NULL,
    CONSTRAINT "PK_reminder_runs" PRIMARY KEY (organisation_id)
);

CREATE TABLE cases.reminder_problems (
    organisation_id uuid NOT NULL,
    case_id uuid NOT NULL,
    problem text NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_reminder_problems" PRIMARY KEY (organisation_id, case_id)
);
