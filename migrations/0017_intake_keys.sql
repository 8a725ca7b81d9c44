-- 0017 One case per person under concurrency (issue 14): the duplicate check of the intake and the insert are one
-- atomic step. Every intake writes a key of the person (SHA-256 over organisation, normalised first and last name and
-- birth date; no readable personal data) in the same transaction as the case's first events; two unconfirmed intakes
-- of the same person cannot both commit (partial unique index), the loser is answered with the winner's case. An
-- intake the user confirmed as a second case of a possible duplicate is not bound by the index. The row is deleted
-- with the case on erasure.

CREATE TABLE cases.intake_keys (
    case_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    person_key bytea NOT NULL,
    confirmed_duplicate boolean NOT NULL,
    CONSTRAINT "PK_intake_keys" PRIMARY KEY (case_id)
);

CREATE UNIQUE INDEX ux_intake_keys_person ON cases.intake_keys (organisation_id, person_key) WHERE NOT confirmed_duplicate;
