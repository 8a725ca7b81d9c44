-- 0020 Documents (issue 19): the bytes of the files attached to a case, in PostgreSQL so that every node sees them
-- (no local disk). A document is stored in chunks of at most 1 MB (streamed in and out, see
-- src/CaseManagement/Documents/DocumentContents.cs), keyed by document and chunk number, with the organisation and the
-- case so that an erasure (Art. 17) deletes every chunk of the case in one statement. The metadata (title, kind, date,
-- content type, size) and the deletions are events of the case; this table holds content only.

CREATE TABLE cases.document_contents (
    document_id uuid NOT NULL,
    chunk integer NOT NULL,
    organisation_id uuid NOT NULL,
    case_id uuid NOT NULL,
    content bytea NOT NULL,
    CONSTRAINT "PK_document_contents" PRIMARY KEY (document_id, chunk)
);

-- The files are PDF, JPEG, PNG, DOCX, ODT: compressed already. Stored out of line without a second compression.
ALTER TABLE cases.document_contents ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE INDEX ix_document_contents_case ON cases.document_contents (organisation_id, case_id);
