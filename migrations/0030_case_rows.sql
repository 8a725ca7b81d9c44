-- 0030 "Meine Fälle" and the deputy list from the narrow row (issue 15, read models shaped per screen; issue 21, load):
-- the row of cases.case_figures also carries what a list row shows — case number, names, birth date, eligibility, the
-- summary's version (the quick note posts it) and whether the case is restricted or its counselling consent withdrawn
-- (the processing rules decide whether a row offers the quick note). A caseload page no longer reads and deserialises
-- sixty whole summaries (PostgreSQL decompressing every document) but sixty narrow rows. Names are case content: the
-- row lives and dies with the summary (the trigger of 0029), so an erasure's masking and deletion reach it as well.

ALTER TABLE cases.case_figures
    ADD COLUMN case_number text NOT NULL DEFAULT '',
    ADD COLUMN first_name text NOT NULL DEFAULT '',
    ADD COLUMN last_name text NOT NULL DEFAULT '',
    ADD COLUMN birth_date date,
    ADD COLUMN verdict text NOT NULL DEFAULT '',
    ADD COLUMN individual_decision_approved boolean NOT NULL DEFAULT false,
    ADD COLUMN restricted boolean NOT NULL DEFAULT false,
    ADD COLUMN counselling_withdrawn boolean NOT NULL DEFAULT false,
    ADD COLUMN summary_version bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION cases.case_figures_of(p_tenant varchar, p_id uuid, p_data jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO cases.case_figures AS f (tenant_id, case_id, manager_id, status, support_start, support_end, closed_on, last_contact,
        next_review_on, consultation_dates, goal_fields, goal_final, goal_status, goal_agreed, goal_finished, goal_target, goal_review,
        case_number, first_name, last_name, birth_date, verdict, individual_decision_approved, restricted, counselling_withdrawn, summary_version)
    SELECT p_tenant, p_id, (p_data ->> 'managerId')::uuid, lower(p_data ->> 'status'), (p_data ->> 'supportStart')::date,
        (p_data ->> 'supportEnd')::date, (p_data ->> 'closedOn')::date, (p_data ->> 'lastContact')::date, (p_data ->> 'nextReviewOn')::date,
        coalesce((SELECT array_agg(d::date) FROM jsonb_array_elements_text(p_data -> 'consultationDates') AS d), '{}'),
        coalesce(g.fields, '{}'), coalesce(g.final, '{}'), coalesce(g.status, '{}'), coalesce(g.agreed, '{}'), coalesce(g.finished, '{}'),
        coalesce(g.target, '{}'), coalesce(g.review, '{}'),
        coalesce(p_data ->> 'caseNumber', ''), coalesce(p_data ->> 'firstName', ''), coalesce(p_data ->> 'lastName', ''),
        (p_data ->> 'birthDate')::date, coalesce(p_data ->> 'verdict', ''),
        coalesce((p_data ->> 'individualDecisionApproved')::boolean, false),
        coalesce(jsonb_typeof(p_data -> 'restriction') = 'object', false),
        coalesce(p_data -> 'consentWithdrawal' -> 'scopes' @> '["Counselling"]'::jsonb, false),
        coalesce((p_data ->> 'version')::bigint, 0)
    FROM (SELECT array_agg(lower(x ->> 'field') ORDER BY o) AS fields,
                 array_agg(lower(x ->> 'status') IN ('achieved', 'partlyachieved', 'notachieved', 'dropped') ORDER BY o) AS final,
                 array_agg(lower(x ->> 'status') ORDER BY o) AS status,
                 array_agg((x ->> 'agreedOn')::date ORDER BY o) AS agreed,
                 array_agg((x ->> 'finishedOn')::date ORDER BY o) AS finished,
                 array_agg((x ->> 'targetDate')::date ORDER BY o) AS target,
                 array_agg((x ->> 'nextReview')::date ORDER BY o) AS review
          FROM jsonb_array_elements(coalesce(p_data -> 'goals', '[]')) WITH ORDINALITY AS e(x, o)) AS g
    ON CONFLICT (tenant_id, case_id) DO UPDATE SET manager_id = excluded.manager_id, status = excluded.status,
        support_start = excluded.support_start, support_end = excluded.support_end, closed_on = excluded.closed_on,
        last_contact = excluded.last_contact, next_review_on = excluded.next_review_on, consultation_dates = excluded.consultation_dates,
        goal_fields = excluded.goal_fields, goal_final = excluded.goal_final, goal_status = excluded.goal_status,
        goal_agreed = excluded.goal_agreed, goal_finished = excluded.goal_finished, goal_target = excluded.goal_target,
        goal_review = excluded.goal_review, case_number = excluded.case_number, first_name = excluded.first_name,
        last_name = excluded.last_name, birth_date = excluded.birth_date, verdict = excluded.verdict,
        individual_decision_approved = excluded.individual_decision_approved, restricted = excluded.restricted,
        counselling_withdrawn = excluded.counselling_withdrawn, summary_version = excluded.summary_version;
$$;

-- The cases that exist already.
SELECT cases.case_figures_of(tenant_id, id, data) FROM marten.mt_doc_casesummary;
