-- 0033 The case summaries lose their expression index on the manager (data ->> 'managerId'). Every reader by manager
-- now goes through the list rows of cases.case_figures (indexed by tenant and manager, kept by the trigger of 0029 in
-- the same transaction): "Meine Fälle", the Team caseload, the reports per team and the appointments of a manager.
-- The index was the only one besides the key, and because it is on the document column, no rewrite of a summary
-- could stay on its heap page (0 of 60,314 updates were HOT in the state-size benchmark): each rewrite added an entry
-- to both indexes. Marten's configuration no longer declares it (ClientsStore), so schema-diff stays empty.

DROP INDEX IF EXISTS marten.mt_doc_casesummary_idx_manager_id;
