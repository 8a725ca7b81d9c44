-- 0029 The Team dashboard's read model (issue 21, "reads at the targets"): one narrow row per case with only the
-- dates and states the dashboard's figures use (no names, no texts), kept by a trigger on the case summary's table
-- in the same transaction as the summary itself. The dashboard aggregates the rows of a team's managers in one
-- query (by manager, for the month of the day asked) instead of reading and deserialising the team's whole caseload.
-- Every write of the summary (a change through the gate, a projection rebuild, an erasure) writes the row; the
-- verb rebuild-projections also re-derives all rows (CaseFiguresReadModel.RebuildAsync).

CREATE TABLE cases.case_figures (
    tenant_id varchar NOT NULL,
    case_id uuid NOT NULL,
    manager_id uuid NOT NULL,
    status text NOT NULL,
    support_start date,
    support_end date,
    closed_on date,
    last_contact date,
    next_review_on date,
    consultation_dates date[] NOT NULL,
    -- the goals' figures: field, final (achieved, partly, not achieved, dropped), status, agreed, finished, target, next review
    goal_fields text[] NOT NULL,
    goal_final boolean[] NOT NULL,
    goal_status text[] NOT NULL,
    goal_agreed date[] NOT NULL,
    goal_finished date[] NOT NULL,
    goal_target date[] NOT NULL,
    goal_review date[] NOT NULL,
    CONSTRAINT "PK_case_figures" PRIMARY KEY (tenant_id, case_id)
);

CREATE INDEX ix_case_figures_manager ON cases.case_figures (tenant_id, manager_id);

-- The row of one summary document (jsonb as Marten stores it: camelCase, dates as ISO text, enums as names, kept here in lower case).
CREATE FUNCTION cases.case_figures_of(p_tenant varchar, p_id uuid, p_data jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO cases.case_figures AS f (tenant_id, case_id, manager_id, status, support_start, support_end, closed_on, last_contact,
        next_review_on, consultation_dates, goal_fields, goal_final, goal_status, goal_agreed, goal_finished, goal_target, goal_review)
    SELECT p_tenant, p_id, (p_data ->> 'managerId')::uuid, lower(p_data ->> 'status'), (p_data ->> 'supportStart')::date,
        (p_data ->> 'supportEnd')::date, (p_data ->> 'closedOn')::date, (p_data ->> 'lastContact')::date, (p_data ->> 'nextReviewOn')::date,
        coalesce((SELECT array_agg(d::date) FROM jsonb_array_elements_text(p_data -> 'consultationDates') AS d), '{}'),
        coalesce(g.fields, '{}'), coalesce(g.final, '{}'), coalesce(g.status, '{}'), coalesce(g.agreed, '{}'), coalesce(g.finished, '{}'),
        coalesce(g.target, '{}'), coalesce(g.review, '{}')
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
        goal_review = excluded.goal_review;
$$;

CREATE FUNCTION cases.case_figures_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM cases.case_figures WHERE tenant_id = OLD.tenant_id AND case_id = OLD.id;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
        DELETE FROM cases.case_figures WHERE tenant_id = OLD.tenant_id AND case_id = OLD.id;
    END IF;
    PERFORM cases.case_figures_of(NEW.tenant_id, NEW.id, NEW.data);
    RETURN NEW;
END $$;

CREATE FUNCTION cases.case_figures_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM cases.case_figures;
    RETURN NULL;
END $$;

CREATE TRIGGER case_figures_follow AFTER INSERT OR UPDATE OR DELETE ON marten.mt_doc_casesummary
    FOR EACH ROW EXECUTE FUNCTION cases.case_figures_follow();

CREATE TRIGGER case_figures_truncate AFTER TRUNCATE ON marten.mt_doc_casesummary
    FOR EACH STATEMENT EXECUTE FUNCTION cases.case_figures_truncate();

-- The cases that exist already.
SELECT cases.case_figures_of(tenant_id, id, data) FROM marten.mt_doc_casesummary;

-- The daily reminder run (issue 21): it no longer offers every existing reminder again. Each evaluated case keeps the
-- day its next reminder falls due; the run evaluates only the cases due by then, changed since (a change deletes the
-- plan) or never evaluated. Ids and days only.
CREATE TABLE cases.reminder_plans (
    case_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    next_on date,
    planned_on date NOT NULL,
    CONSTRAINT "PK_reminder_plans" PRIMARY KEY (case_id)
);

CREATE INDEX ix_reminder_plans_organisation ON cases.reminder_plans (organisation_id, next_on);

-- A reminder made moot by a later change of its case (a moved target date, an achieved goal, a new contact, a decided
-- request, a cancelled appointment) is withdrawn: done (done_at) and marked here; it is offered again only if the same
-- reminder (kind, subject, day) falls due again.
ALTER TABLE cases.reminders ADD COLUMN withdrawn_at timestamp with time zone;
