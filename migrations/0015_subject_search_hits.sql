-- 0015 The subject search remembers which cases it found (ids only), so that an erasure can remove from the
-- search log everything that links a search to the erased case: the case id, and the purpose the DPO typed
-- (which may name the person). Who searched, when and how many hits stay (accountability).
-- Existing searches get an empty list (their hits were never recorded). No index: the erasure's update reads
-- one organisation's searches, a few per working day.

ALTER TABLE identity.subject_searches ADD COLUMN IF NOT EXISTS found_cases uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE identity.subject_searches ALTER COLUMN found_cases DROP DEFAULT;
