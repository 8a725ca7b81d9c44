-- 0019 Imports (issue 18): the caseloads that live in Excel come in through the same intake as a manual one. An
-- import is one uploaded file with its settings and progress (ids and counts, no case content); the file itself is
-- kept apart so that it can be removed with a case it created (erasure) while the import's record stays; every row
-- processed is recorded (resume after a cancel or crash, the report, the error file); the previous system's reference
-- (Aktenzeichen) of every imported case is unique per organisation and written in the case's first transaction, so
-- that the same or an overlapping file creates no second case; the column mapping confirmed last is remembered per
-- organisation.

CREATE TABLE cases.imports (
    id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    team_id uuid,
    created_by uuid NOT NULL,
    file_name text NOT NULL,
    format text NOT NULL,
    cases_sheet text,
    goals_sheet text,
    mapping text NOT NULL,
    dry_run boolean NOT NULL,
    update_situation boolean NOT NULL,
    confirm_duplicates boolean NOT NULL,
    status text NOT NULL,
    total_rows integer NOT NULL,
    done_rows integer NOT NULL,
    created integer NOT NULL,
    already_present integer NOT NULL,
    rejected integer NOT NULL,
    cancel_requested boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    CONSTRAINT "PK_imports" PRIMARY KEY (id)
);

CREATE INDEX ix_imports_organisation ON cases.imports (organisation_id, created_at);

CREATE TABLE cases.import_files (
    import_id uuid NOT NULL,
    content bytea NOT NULL,
    CONSTRAINT "PK_import_files" PRIMARY KEY (import_id)
);

CREATE TABLE cases.import_rows (
    import_id uuid NOT NULL,
    sheet text NOT NULL,
    row_number integer NOT NULL,
    outcome text NOT NULL,
    case_id uuid,
    errors text,
    CONSTRAINT "PK_import_rows" PRIMARY KEY (import_id, sheet, row_number)
);

CREATE TABLE cases.import_references (
    organisation_id uuid NOT NULL,
    reference text NOT NULL,
    case_id uuid NOT NULL,
    import_id uuid NOT NULL,
    row_number integer NOT NULL,
    CONSTRAINT "PK_import_references" PRIMARY KEY (organisation_id, reference)
);

CREATE INDEX ix_import_references_case ON cases.import_references (organisation_id, case_id);

CREATE TABLE cases.import_mappings (
    organisation_id uuid NOT NULL,
    mapping text NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_import_mappings" PRIMARY KEY (organisation_id)
);
