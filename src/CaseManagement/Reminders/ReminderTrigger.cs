using Hangfire;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseManagement.Reminders;

/// <summary>
/// Row of <c>cases.case_changes</c> (written by <see cref="ReminderTrigger"/>, taken by <see cref="CaseChangeDispatcher"/>): one per
/// commit and case, append-only, so that a change never waits for the dispatcher's evaluation of an earlier one (migration 0032).
/// </summary>
public sealed class CaseChangeRecord
{
    public long Id { get; init; }

    public Guid CaseId { get; init; }

    public Guid OrganisationId { get; init; }

    public DateTimeOffset ChangedAt { get; init; }

    public bool Moved { get; init; }
}

/// <summary>
/// Immediate evaluation, durable and out of the request path: every commit that appends to a case stream also
/// writes a row to <c>cases.case_changes</c> — in the same transaction, so nothing is lost if the process dies
/// right after the commit. <see cref="CaseChangeDispatcher"/> takes the rows on the nodes that run background jobs.
/// </summary>
public sealed class ReminderTrigger : DocumentSessionListenerBase
{
    /// <summary>Events after which the case's open reminders must move or end at once.</summary>
    public static bool Moves(object data) =>
        data is CaseReassigned or TransferDecided or CaseClosed or DataProtection.ProcessingRestricted or DataProtection.ConsentWithdrawn;

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!Guid.TryParseExact(session.TenantId, "N", out var organisationId))
        {
            return Task.CompletedTask;
        }

        foreach (var stream in session.PendingChanges.Streams().Where(s => s.Events.Count > 0))
        {
            session.QueueSqlCommand(
                """
                insert into cases.case_changes (case_id, organisation_id, changed_at, moved) values (?, ?, now(), ?)
                """,
                stream.Id, organisationId, stream.Events.Any(e => Moves(e.Data)));
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Takes the changed cases of <c>cases.case_changes</c> (several nodes share the work: <c>FOR UPDATE SKIP LOCKED</c>;
/// several rows of one case are merged) and evaluates each: if the change makes a reminder due today it enqueues the
/// case's scan at once, if tomorrow it plans one for the start of tomorrow (once per case and day); a reassigned, transferred, closed or restricted case is
/// scanned at once so its open reminders move or end. A row is deleted in the transaction that evaluated it: when the
/// evaluation fails (database gone), it is taken again on the next round.
/// </summary>
public sealed partial class CaseChangeDispatcher(IServiceScopeFactory scopes, ILogger<CaseChangeDispatcher> logger, TimeSpan poll) : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = await DispatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the loop must survive a database restart; the rows stay and are taken again
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e.GetType().Name);
            }

            if (taken < Batch)
            {
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One round: up to <see cref="Batch"/> changed cases; returns how many were taken.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var changes = new List<(Guid CaseId, Guid OrganisationId, bool Moved)>();
        await using (var take = new NpgsqlCommand(
                         """
                         delete from cases.case_changes where id in
                             (select id from cases.case_changes order by id limit $1 for update skip locked)
                         returning case_id, organisation_id, moved
                         """, connection, transaction))
        {
            take.Parameters.Add(new() { Value = Batch });
            await using var rows = await take.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                changes.Add((rows.GetGuid(0), rows.GetGuid(1), rows.GetBoolean(2)));
            }
        }

        // One evaluation per case, however many commits changed it since the last round.
        var cases = changes.GroupBy(c => (c.CaseId, c.OrganisationId)).Select(g => (g.Key.CaseId, g.Key.OrganisationId, Moved: g.Any(c => c.Moved))).ToList();

        // A changed case is evaluated again by the next daily run (its plan may be wrong now).
        await ReminderPlans.ForgetAsync(connection, transaction, cases.Select(c => c.CaseId).ToList(), ct);
        foreach (var organisation in cases.GroupBy(c => c.OrganisationId))
        {
            await Evaluate(services, organisation.Key, organisation.ToList(), ct);
        }

        await transaction.CommitAsync(ct);
        return changes.Count;
    }

    private static async Task Evaluate(IServiceProvider services, Guid organisationId, List<(Guid CaseId, Guid OrganisationId, bool Moved)> changes, CancellationToken ct)
    {
        var clock = services.GetRequiredService<IClock>();
        var jobs = services.GetRequiredService<IBackgroundJobClient>();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var today = clock.Today();
        var tomorrow = today.PlusDays(1);
        await using var reader = services.GetRequiredService<IDocumentStore>().QuerySession(Organisations.TenantIds.For(organisationId));
        var moved = changes.Where(c => c.Moved).Select(c => c.CaseId).ToHashSet();
        var cases = await CaseCards.ByIdsAsync(reader, dataSource, changes.Select(c => c.CaseId).ToList(), ct);
        ReminderSettings? settings = null;
        var reminders = await RemindersOf(dataSource, organisationId, cases.Where(c => !moved.Contains(c.Id)).Select(c => c.Id).ToArray(), ct);
        var open = reminders.Where(r => r.Value.Open.Count > 0).ToDictionary(r => r.Key, r => r.Value.Open);
        var appointments = open.Count == 0
            ? new Dictionary<Guid, IReadOnlyList<AppointmentView>>()
            : (await reader.LoadManyAsync<CaseAppointments>(ct, open.Keys)).ToDictionary(a => a.Id, a => a.Appointments);
        foreach (var summary in cases)
        {
            if (moved.Contains(summary.Id))
            {
                jobs.Enqueue<ReminderJobs>(j => j.ScanCase(organisationId, summary.Id, CancellationToken.None));
                continue;
            }

            settings ??= await services.GetRequiredService<ReminderPolicies>().ForAsync(organisationId, ct);
            // A change that made an open reminder moot (a moved target date, an achieved goal): the case's scan withdraws it at once.
            if (open.TryGetValue(summary.Id, out var openOfCase) && summary.Status != CaseStatus.Paused
                && openOfCase.GroupBy(r => r.DueOn).Any(day => ReminderPlans.Moot(summary, appointments.GetValueOrDefault(summary.Id, []), day.Key, settings, day).Any()))
            {
                jobs.Enqueue<ReminderJobs>(j => j.ScanCase(organisationId, summary.Id, CancellationToken.None));
                continue;
            }

            var soon = ReminderRules.Due(summary, tomorrow, settings, Time.Berlin).Where(r => InputLimits.IsPlausible(r.DueOn)).ToList();
            if (soon.Count == 0)
            {
                continue;
            }

            var existing = reminders.TryGetValue(summary.Id, out var ofCase) ? ofCase.Keys : [];
            var missing = soon.Where(r => !existing.Contains((r.Kind.ToString(), r.SubjectId, r.DueOn))).ToList();
            if (missing.Any(r => r.DueOn <= today))
            {
                jobs.Enqueue<ReminderJobs>(j => j.ScanCase(organisationId, summary.Id, CancellationToken.None));
            }
            else if (missing.Count > 0 && await PlanCheck(dataSource, summary.Id, tomorrow, ct))
            {
                var at = ReminderSchedule.StartOfNextDay(clock.GetCurrentInstant()).ToDateTimeOffset();
                jobs.Schedule<ReminderJobs>(j => j.ScanCase(organisationId, summary.Id, CancellationToken.None), at);
            }
        }
    }

    /// <summary>True when no evaluation of the case is planned for that day yet (and now it is).</summary>
    private static async Task<bool> PlanCheck(NpgsqlDataSource dataSource, Guid caseId, LocalDate day, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("insert into cases.reminder_checks (case_id, run_on) values ($1, $2) on conflict do nothing");
        command.Parameters.Add(new() { Value = caseId });
        command.Parameters.Add(new() { Value = day });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// The reminders of these cases in one query, per case: the keys of all of them (a reminder is offered once, done or
    /// not) and the open ones (whether a change made one moot).
    /// </summary>
    private static async Task<Dictionary<Guid, (HashSet<(string Kind, Guid Subject, LocalDate DueOn)> Keys, List<(string Kind, Guid CaseId, Guid SubjectId, LocalDate DueOn)> Open)>> RemindersOf(
        NpgsqlDataSource dataSource, Guid organisationId, Guid[] caseIds, CancellationToken ct)
    {
        var reminders = new Dictionary<Guid, (HashSet<(string, Guid, LocalDate)>, List<(string, Guid, Guid, LocalDate)>)>();
        if (caseIds.Length == 0)
        {
            return reminders;
        }

        await using var command = dataSource.CreateCommand(
            "select kind, case_id, subject_id, due_on, done_at is null from cases.reminders where organisation_id = $1 and case_id = any($2)");
        command.Parameters.Add(new() { Value = organisationId });
        command.Parameters.Add(new() { Value = caseIds });
        await using var rows = await command.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            var caseId = rows.GetGuid(1);
            if (!reminders.TryGetValue(caseId, out var ofCase))
            {
                reminders[caseId] = ofCase = ([], []);
            }

            var (kind, subject, dueOn) = (rows.GetString(0), rows.GetGuid(2), rows.GetFieldValue<LocalDate>(3));
            ofCase.Item1.Add((kind, subject, dueOn));
            if (rows.GetBoolean(4))
            {
                ofCase.Item2.Add((kind, caseId, subject, dueOn));
            }
        }

        return reminders;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sofortprüfung der Erinnerungen fehlgeschlagen ({Error}); die geänderten Fälle werden erneut geprüft.")]
    private static partial void LogFailed(ILogger logger, string error);
}
