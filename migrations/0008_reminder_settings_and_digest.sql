-- 0008 Reminders, second part: an organisation's own thresholds and daily time, the users' choice of the
-- daily digest e-mail, planned evaluations of cases, and the record of sent digests (one per user and day, so a retried job never
-- sends twice). From `ef-script`; reviewed.

CREATE TABLE identity.reminder_settings (
    organisation_id uuid NOT NULL,
    no_contact_weeks integer NOT NULL,
    support_ending_months integer NOT NULL,
    residence_expiring_weeks integer NOT NULL,
    consent_valid_months integer NOT NULL,
    consent_renewal_notice_weeks integer NOT NULL,
    approval_waiting_working_days integer NOT NULL,
    eligibility_recheck_days integer NOT NULL,
    daily_at time without time zone NOT NULL,
    version integer NOT NULL,
    CONSTRAINT "PK_reminder_settings" PRIMARY KEY (organisation_id),
    CONSTRAINT "FK_reminder_settings_organisations_organisation_id" FOREIGN KEY (organisation_id) REFERENCES identity.organisations ("Id") ON DELETE RESTRICT
);

CREATE TABLE cases.reminder_digests (
    user_id uuid NOT NULL,
    day date NOT NULL,
    organisation_id uuid NOT NULL,
    due_count integer NOT NULL,
    sent_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_reminder_digests" PRIMARY KEY (user_id, day)
);

-- A planned evaluation of a case at the start of a day: many changes on one day schedule one job.
CREATE TABLE cases.reminder_checks (
    case_id uuid NOT NULL,
    run_on date NOT NULL,
    CONSTRAINT "PK_reminder_checks" PRIMARY KEY (case_id, run_on)
);

-- Existing users get "no digest"; the default is dropped again so the column matches the EF model.
ALTER TABLE identity."AspNetUsers" ADD COLUMN "ReminderDigest" boolean NOT NULL DEFAULT false;
ALTER TABLE identity."AspNetUsers" ALTER COLUMN "ReminderDigest" DROP DEFAULT;
