using CaseManagement.Clients;
using CaseManagement.Common;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using Marten;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace CaseManagement.Reminders;

/// <summary>
/// The daily reminder scan of one organisation: every due reminder is inserted once (natural key,
/// ON CONFLICT DO NOTHING), open reminders follow a reassigned case to its manager, and reminders of
/// closed cases are resolved. Safe to run twice, concurrently, or on several nodes.
/// </summary>
public sealed class ReminderScan(IDocumentStore store, AppDbContext db, NpgsqlDataSource dataSource, IClock clock, ReminderPolicies policies)
{
    /// <summary>Scans every case of the organisation, or only <paramref name="caseId"/> (immediate evaluation after a change).</summary>
    public async Task<int> RunAsync(Guid organisationId, CancellationToken ct, Guid? caseId = null)
    {
        var today = clock.Today();
        var settings = await policies.ForAsync(organisationId, ct);
        await using var session = store.QuerySession(TenantIds.For(organisationId));
        IReadOnlyList<CaseSummary> cases = caseId is { } id
            ? await CaseCards.ByIdsAsync(session, dataSource, [id], ct)
            : await CaseCards.AllAsync(session, dataSource, ct);
        var leads = await TeamLeads.ByManager(db, organisationId, ct);
        var due = cases
            .SelectMany(c => ReminderRules.Due(c, today, settings, Time.Berlin).Select(r => (Reminder: r, Assignee: r.Audience == ReminderAudience.Manager
                ? c.ManagerId
                : leads.GetValueOrDefault(c.ManagerId))))
            .Where(r => r.Assignee != Guid.Empty)
            .ToList();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var created = await Insert(connection, organisationId, due, ct);
        await Follow(connection, organisationId, cases.Where(c => c.Status != CaseStatus.Closed).ToList(), ct);
        // Closed cases have nothing left to remind of; restricted ones (or without consent) may not be worked on.
        await Resolve(connection, organisationId, cases.Where(c => c.Status == CaseStatus.Closed || (c.Status == CaseStatus.Open && !ReminderRules.IsActive(c)))
            .Select(c => c.Id).ToArray(), ct);
        if (caseId is null)
        {
            await using var cleanup = new NpgsqlCommand("delete from cases.reminder_checks where run_on < $1", connection);
            cleanup.Parameters.Add(new() { Value = today.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
            await cleanup.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return created;
    }

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
                on conflict (organisation_id, kind, case_id, subject_id, due_on) do nothing
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
