using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace CaseManagement.Reminders;

/// <summary>
/// The daily reminder scan of one organisation: every due reminder is inserted once (natural key,
/// ON CONFLICT DO NOTHING), open reminders follow a reassigned case to its manager, and reminders of
/// closed cases are resolved. Safe to run twice, concurrently, or on several nodes. Each case is planned on
/// its own: a case that cannot be planned (e.g. a date stored before the input ranges existed) is logged by
/// id, kept in <c>cases.reminder_problems</c> for the administrators' page, and every other case still gets
/// its reminders.
/// </summary>
public sealed partial class ReminderScan(
    IDocumentStore store, AppDbContext db, NpgsqlDataSource dataSource, IClock clock, ReminderPolicies policies, ILogger<ReminderScan> logger)
{
    /// <summary>A reminder of the case would fall on a day outside the documented range (docs/input-limits.md).</summary>
    public const string DateOutOfRange = "date-out-of-range";

    /// <summary>The rules could not be evaluated for the case.</summary>
    public const string EvaluationFailed = "evaluation-failed";

    /// <summary>
    /// The daily run of the organisation (<paramref name="caseId"/> null): only the cases whose plan
    /// (<c>cases.reminder_plans</c>) says a reminder falls due by today, that changed since their last evaluation (a change
    /// deletes the plan) or that were never evaluated; or only <paramref name="caseId"/> (immediate evaluation after a change).
    /// Each evaluated case gets its due reminders, its reminders made moot by a later change withdrawn, and its next day planned.
    /// </summary>
    public async Task<int> RunAsync(Guid organisationId, CancellationToken ct, Guid? caseId = null)
    {
        var started = clock.GetCurrentInstant();
        var today = clock.Today();
        var settings = await policies.ForAsync(organisationId, ct);
        await using var session = store.QuerySession(TenantIds.For(organisationId));
        IReadOnlyList<Guid> ids = caseId is { } id ? [id] : await ReminderPlans.DueAsync(dataSource, session.TenantId, organisationId, today, ct);
        var cases = await CaseCards.ByIdsAsync(session, dataSource, ids, ct);
        var leads = await TeamLeads.ByManager(db, organisationId, ct);
        var appointments = (ids.Count == 0 ? [] : await session.LoadManyAsync<CaseAppointments>(ct, ids))
            .ToDictionary(a => a.Id, a => a.Appointments);
        var (due, problems, unassigned) = Plan(cases, appointments, today, settings, leads);

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var created = await Insert(connection, organisationId, due, ct);
        await Follow(connection, organisationId, cases.Where(c => c.Status != CaseStatus.Closed).ToList(), ct);
        // Closed cases have nothing left to remind of; restricted ones (or without consent) may not be worked on.
        await Resolve(connection, organisationId, cases.Where(c => c.Status == CaseStatus.Closed || (c.Status == CaseStatus.Open && !ReminderRules.IsActive(c)))
            .Select(c => c.Id).ToArray(), ct);
        await ReminderPlans.WithdrawMootAsync(connection, organisationId, cases, appointments, settings, clock.GetCurrentInstant(), ct);
        await ReminderPlans.SaveAsync(connection, organisationId, cases, appointments, today, settings,
            problems.Select(p => p.CaseId).Concat(unassigned).ToHashSet(), ct);
        await RecordProblems(connection, organisationId, cases.Select(c => c.Id).ToArray(), problems, ct);
        if (caseId is null)
        {
            await using var cleanup = new NpgsqlCommand("delete from cases.reminder_checks where run_on < $1", connection);
            cleanup.Parameters.Add(new() { Value = today.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
            await cleanup.ExecuteNonQueryAsync(ct);
            await RecordRun(connection, organisationId, started, cases.Count, created, problems.Count, ct);
        }

        await transaction.CommitAsync(ct);
        if (problems.Count > 0)
        {
            LogProblems(logger, organisationId, problems.Count);
        }

        return created;
    }

    /// <summary>The due reminders of every case that can be planned, the cases that cannot (by id), and those with a reminder nobody could get (no team lead).</summary>
    private (List<(DueReminder Reminder, Guid Assignee)> Due, List<(Guid CaseId, string Problem)> Problems, HashSet<Guid> Unassigned) Plan(
        IReadOnlyList<CaseSummary> cases, IReadOnlyDictionary<Guid, IReadOnlyList<AppointmentView>> appointments, LocalDate today, ReminderSettings settings,
        IReadOnlyDictionary<Guid, Guid> leads)
    {
        var due = new List<(DueReminder, Guid)>();
        var problems = new List<(Guid, string)>();
        var unassigned = new HashSet<Guid>();
        foreach (var c in cases)
        {
            List<DueReminder> reminders;
            try
            {
                reminders = ReminderRules.Due(c, today, settings, Time.Berlin)
                    .Concat(ReminderRules.AppointmentsTomorrow(c, appointments.GetValueOrDefault(c.Id, []), today)).ToList();
            }
#pragma warning disable CA1031 // one case that cannot be evaluated must not stop the organisation's run; it is recorded and logged by id
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCaseFailed(logger, c.Id, e.GetType().Name);
                problems.Add((c.Id, EvaluationFailed));
                continue;
            }

            if (reminders.Any(r => !InputLimits.IsPlausible(r.DueOn)))
            {
                LogCaseFailed(logger, c.Id, DateOutOfRange);
                problems.Add((c.Id, DateOutOfRange));
            }

            var assigned = reminders
                .Where(r => InputLimits.IsPlausible(r.DueOn))
                .Select(r => (r, r.Audience == ReminderAudience.Manager ? c.ManagerId : leads.GetValueOrDefault(c.ManagerId)))
                .ToList();
            if (assigned.Any(r => r.Item2 == Guid.Empty))
            {
                unassigned.Add(c.Id); // evaluated again the next day: a lead may have been named by then
            }

            due.AddRange(assigned.Where(r => r.Item2 != Guid.Empty));
        }

        return (due, problems, unassigned);
    }

    /// <summary>
    /// The problems found now replace the recorded ones: of the whole organisation after a full run, of the
    /// scanned cases after the evaluation of single cases.
    /// </summary>
    private async Task RecordProblems(
        NpgsqlConnection connection, Guid organisationId, Guid[]? scanned, List<(Guid CaseId, string Problem)> problems, CancellationToken ct)
    {
        // Cases that were recorded and are fine now are cleared; one that fails again keeps its first_seen_at.
        await using (var clear = new NpgsqlCommand(
                         """
                         delete from cases.reminder_problems
                         where organisation_id = $1 and ($2::uuid[] is null or case_id = any($2)) and not (case_id = any($3))
                         """, connection))
        {
            clear.Parameters.Add(new() { Value = organisationId });
            clear.Parameters.Add(new() { Value = (object?)scanned ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            clear.Parameters.Add(new() { Value = problems.Select(p => p.CaseId).ToArray() });
            await clear.ExecuteNonQueryAsync(ct);
        }

        if (problems.Count == 0)
        {
            return;
        }

        await using var insert = new NpgsqlCommand(
            """
            insert into cases.reminder_problems (organisation_id, case_id, problem, first_seen_at, last_seen_at)
            select $1, p.case_id, p.problem, $4, $4 from unnest($2::uuid[], $3::text[]) as p(case_id, problem)
            on conflict (organisation_id, case_id) do update set problem = excluded.problem, last_seen_at = excluded.last_seen_at
            """, connection);
        insert.Parameters.Add(new() { Value = organisationId });
        insert.Parameters.Add(new() { Value = problems.Select(p => p.CaseId).ToArray() });
        insert.Parameters.Add(new() { Value = problems.Select(p => p.Problem).ToArray() });
        insert.Parameters.Add(new() { Value = clock.GetCurrentInstant().ToDateTimeOffset() });
        await insert.ExecuteNonQueryAsync(ct);
    }

    private async Task RecordRun(NpgsqlConnection connection, Guid organisationId, Instant started, int cases, int created, int failed, CancellationToken ct)
    {
        await using var record = new NpgsqlCommand(
            """
            insert into cases.reminder_runs (organisation_id, started_at, finished_at, cases, created, failed) values ($1, $2, $3, $4, $5, $6)
            on conflict (organisation_id) do update set started_at = excluded.started_at, finished_at = excluded.finished_at,
                cases = excluded.cases, created = excluded.created, failed = excluded.failed
            """, connection);
        record.Parameters.Add(new() { Value = organisationId });
        record.Parameters.Add(new() { Value = started.ToDateTimeOffset() });
        record.Parameters.Add(new() { Value = clock.GetCurrentInstant().ToDateTimeOffset() });
        record.Parameters.Add(new() { Value = cases });
        record.Parameters.Add(new() { Value = created });
        record.Parameters.Add(new() { Value = failed });
        await record.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erinnerungen für Fall {CaseId} konnten nicht geplant werden ({Problem}); die übrigen Fälle werden geplant.")]
    private static partial void LogCaseFailed(ILogger logger, Guid caseId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erinnerungslauf der Organisation {OrganisationId}: {Count} Fälle mit Problemen (Seite Hintergrundaufträge).")]
    private static partial void LogProblems(ILogger logger, Guid organisationId, int count);

    /// <summary>Rows per INSERT: a large backlog (first run, many cases) goes in several short statements.</summary>
    private const int InsertBatch = 5_000;

    private async Task<int> Insert(NpgsqlConnection connection, Guid organisationId, List<(DueReminder Reminder, Guid Assignee)> due, CancellationToken ct)
    {
        var created = 0;
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        foreach (var batch in due.Chunk(InsertBatch))
        {
            await using var insert = new NpgsqlCommand(
                """
                insert into cases.reminders (id, organisation_id, kind, case_id, subject_id, due_on, assignee_id, audience, created_at)
                select gen_random_uuid(), $1, r.kind, r.case_id, r.subject_id, r.due_on, r.assignee_id, r.audience, $2
                from unnest($3::text[], $4::uuid[], $5::uuid[], $6::date[], $7::uuid[], $8::text[]) as r(kind, case_id, subject_id, due_on, assignee_id, audience)
                on conflict (organisation_id, kind, case_id, subject_id, due_on) do update
                    set done_at = null, withdrawn_at = null, assignee_id = excluded.assignee_id, created_at = excluded.created_at
                    where cases.reminders.withdrawn_at is not null
                """, connection);
            insert.Parameters.Add(new() { Value = organisationId });
            insert.Parameters.Add(new() { Value = now });
            insert.Parameters.Add(new() { Value = batch.Select(d => d.Reminder.Kind.ToString()).ToArray() });
            insert.Parameters.Add(new() { Value = batch.Select(d => d.Reminder.CaseId).ToArray() });
            insert.Parameters.Add(new() { Value = batch.Select(d => d.Reminder.SubjectId).ToArray() });
            insert.Parameters.Add(new() { Value = batch.Select(d => d.Reminder.DueOn.ToDateOnly()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            insert.Parameters.Add(new() { Value = batch.Select(d => d.Assignee).ToArray() });
            insert.Parameters.Add(new() { Value = batch.Select(d => d.Reminder.Audience.ToString()).ToArray() });
            created += await insert.ExecuteNonQueryAsync(ct);
        }

        return created;
    }

    /// <summary>Open manager reminders go with the case to its current manager (reassignment, transfer).</summary>
    private static async Task Follow(NpgsqlConnection connection, Guid organisationId, List<CaseSummary> cases, CancellationToken ct)
    {
        await using var follow = new NpgsqlCommand(
            """
            update cases.reminders r set assignee_id = c.manager_id
            from unnest($2::uuid[], $3::uuid[]) as c(case_id, manager_id)
            where r.organisation_id = $1 and r.case_id = c.case_id and r.audience = 'Manager' and r.done_at is null and r.assignee_id <> c.manager_id
            """, connection);
        follow.Parameters.Add(new() { Value = organisationId });
        follow.Parameters.Add(new() { Value = cases.Select(c => c.Id).ToArray() });
        follow.Parameters.Add(new() { Value = cases.Select(c => c.ManagerId).ToArray() });
        await follow.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Open reminders of these cases are done.</summary>
    private async Task Resolve(NpgsqlConnection connection, Guid organisationId, Guid[] closed, CancellationToken ct)
    {
        await using var resolve = new NpgsqlCommand(
            "update cases.reminders set done_at = $3 where organisation_id = $1 and done_at is null and case_id = any($2)", connection);
        resolve.Parameters.Add(new() { Value = organisationId });
        resolve.Parameters.Add(new() { Value = closed });
        resolve.Parameters.Add(new() { Value = clock.GetCurrentInstant().ToDateTimeOffset() });
        await resolve.ExecuteNonQueryAsync(ct);
    }
}
