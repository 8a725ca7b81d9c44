using Marten;
using Npgsql;

namespace CaseManagement.Reminders;

/// <summary>Row of <c>cases.reminder_runs</c> (written by <see cref="ReminderScan"/> with SQL; mapped so the schema is one model).</summary>
public sealed class ReminderRunRecord
{
    public Guid OrganisationId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    public int Cases { get; init; }

    public int Created { get; init; }

    public int Failed { get; init; }
}

/// <summary>Row of <c>cases.reminder_problems</c>.</summary>
public sealed class ReminderProblemRecord
{
    public Guid OrganisationId { get; init; }

    public Guid CaseId { get; init; }

    public string Problem { get; init; } = "";

    public DateTimeOffset FirstSeenAt { get; init; }

    public DateTimeOffset LastSeenAt { get; init; }
}

/// <summary>What the last daily reminder run of the organisation did.</summary>
public sealed record ReminderRunView(Instant StartedAt, Instant FinishedAt, int Cases, int Created, int Failed);

/// <summary>A case the reminder run could not plan: its number and the kind of problem, never its content.</summary>
public sealed record ReminderProblemView(Guid CaseId, string CaseNumber, string Problem, Instant FirstSeenAt, Instant LastSeenAt)
{
    public string ProblemLabel => Problem == ReminderScan.DateOutOfRange
        ? "Ein Datum des Falls liegt außerhalb des zulässigen Bereichs (01.01.1900–31.12.2100); bitte die Daten des Falls prüfen lassen."
        : "Die Erinnerungsregeln konnten für diesen Fall nicht ausgewertet werden.";
}

/// <summary>The digest e-mails of the last day on which any were sent.</summary>
public sealed record DigestRunView(LocalDate Day, int Sent, Instant LastSentAt);

/// <summary>
/// The state of the organisation's background jobs for its administrators ("Hintergrundaufträge"): the last
/// daily reminder run, the cases it could not plan, the last digest e-mails and the next run. Nothing of
/// another organisation; the job dashboard across organisations is the platform operator's.
/// </summary>
public sealed record BackgroundJobState(
    ReminderRunView? LastRun, IReadOnlyList<ReminderProblemView> Problems, DigestRunView? LastDigest, Instant NextRun, TimeOnly DailyAt, bool MailConfigured);

public sealed record GetBackgroundJobState : IQuery<BackgroundJobState>;

/// <summary>How many cases of the administrator's organisation the reminder run could not plan (for the start page).</summary>
public sealed record CountReminderProblems : IQuery<int>;

public sealed class BackgroundJobStateHandlers(
    NpgsqlDataSource dataSource, IQuerySession session, ICurrentUser user, IClock clock, ReminderPolicies policies, Mailer mailer) :
    IQueryHandler<GetBackgroundJobState, BackgroundJobState>,
    IQueryHandler<CountReminderProblems, int>
{
    public async ValueTask<BackgroundJobState> Handle(GetBackgroundJobState query, CancellationToken cancellationToken)
    {
        var organisationId = user.RequireAdministratorOrganisation();
        var settings = await policies.ForAsync(organisationId, cancellationToken);
        return new BackgroundJobState(
            await LastRun(organisationId, cancellationToken),
            await Problems(organisationId, cancellationToken),
            await LastDigest(organisationId, cancellationToken),
            ReminderSchedule.NextRun(clock.GetCurrentInstant(), settings.DailyAt),
            settings.DailyAt,
            mailer.Options.Configured);
    }

    public async ValueTask<int> Handle(CountReminderProblems query, CancellationToken cancellationToken)
    {
        var organisationId = user.RequireAdministratorOrganisation();
        await using var command = dataSource.CreateCommand("select count(*) from cases.reminder_problems where organisation_id = $1");
        command.Parameters.Add(new() { Value = organisationId });
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<ReminderRunView?> LastRun(Guid organisationId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select started_at, finished_at, cases, created, failed from cases.reminder_runs where organisation_id = $1");
        command.Parameters.Add(new() { Value = organisationId });
        await using var row = await command.ExecuteReaderAsync(ct);
        return await row.ReadAsync(ct)
            ? new ReminderRunView(row.GetFieldValue<Instant>(0), row.GetFieldValue<Instant>(1), row.GetInt32(2), row.GetInt32(3), row.GetInt32(4))
            : null;
    }

    private async Task<IReadOnlyList<ReminderProblemView>> Problems(Guid organisationId, CancellationToken ct)
    {
        var rows = new List<(Guid CaseId, string Problem, Instant First, Instant Last)>();
        await using (var command = dataSource.CreateCommand(
                         "select case_id, problem, first_seen_at, last_seen_at from cases.reminder_problems where organisation_id = $1 order by first_seen_at"))
        {
            command.Parameters.Add(new() { Value = organisationId });
            await using var row = await command.ExecuteReaderAsync(ct);
            while (await row.ReadAsync(ct))
            {
                rows.Add((row.GetGuid(0), row.GetString(1), row.GetFieldValue<Instant>(2), row.GetFieldValue<Instant>(3)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        // Only the case numbers (the session belongs to the administrator's organisation).
        var ids = rows.Select(r => r.CaseId).ToArray();
        var numbers = (await session.Query<CaseSummary>().Where(c => c.Id.IsOneOf(ids)).Select(c => new CaseNumberOnly(c.Id, c.CaseNumber)).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => c.CaseNumber);
        return rows.Select(r => new ReminderProblemView(r.CaseId, numbers.GetValueOrDefault(r.CaseId, "–"), r.Problem, r.First, r.Last)).ToList();
    }

    private async Task<DigestRunView?> LastDigest(Guid organisationId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            select day, count(*), max(sent_at) from cases.reminder_digests
            where organisation_id = $1 and day = (select max(day) from cases.reminder_digests where organisation_id = $1)
            group by day
            """);
        command.Parameters.Add(new() { Value = organisationId });
        await using var row = await command.ExecuteReaderAsync(ct);
        return await row.ReadAsync(ct) ? new DigestRunView(row.GetFieldValue<LocalDate>(0), Convert.ToInt32(row.GetInt64(1)), row.GetFieldValue<Instant>(2)) : null;
    }

    private sealed record CaseNumberOnly(Guid Id, string CaseNumber);
}
