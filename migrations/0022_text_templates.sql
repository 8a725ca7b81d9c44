-- 0022 Everyday documentation (issue 19): text templates (Textbausteine) and the quick note's remembered choices.
-- A text template is organisation-wide (owner_id null, managed by the organisation's administrators) or personal
-- (owner_id = the user). Its short name is unique per scope (stored in lower case). Templates are not case content;
-- they are never logged. The quick note remembers, per user, the mode and the duration used last (its defaults).

CREATE TABLE cases.text_templates (
    id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    owner_id uuid,
    name text NOT NULL,
    text text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_text_templates" PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ux_text_templates_organisation_name ON cases.text_templates (organisation_id, name) WHERE owner_id IS NULL;

CREATE UNIQUE INDEX ux_text_templates_personal_name ON cases.text_templates (organisation_id, owner_id, name) WHERE owner_id IS NOT NULL;

CREATE TABLE cases.quick_note_defaults (
    user_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    mode text NOT NULL,
    duration_minutes integer NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_quick_note_defaults" PRIMARY KEY (user_id)
);
