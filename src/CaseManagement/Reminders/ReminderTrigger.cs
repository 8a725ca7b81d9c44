using CaseManagement.Clients;
using CaseManagement.Common;
using Hangfire;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;

namespace CaseManagement.Reminders;

/// <summary>
/// Immediate evaluation: after every committed change of a case, if the change makes a reminder due today
/// or tomorrow that does not exist yet, the case is scanned now (a Hangfire job) or at the start of
/// tomorrow; a reassigned, transferred or closed case is scanned now so its open reminders move or end.
/// Costs nothing when the case has nothing due. Failing here never fails the user's change: the daily scan
/// catches up.
/// </summary>
public sealed partial class ReminderTrigger(IServiceScopeFactory scopes) : DocumentSessionListenerBase
{
    public override async Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(commit);
        var changed = commit.GetEvents().GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => g.Select(e => e.Data).ToList());
        if (changed.Count == 0 || !Guid.TryParseExact(session.TenantId, "N", out var organisationId))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        try
        {
            await Evaluate(services, session.DocumentStore, organisationId, changed, token);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // No personal data: the exception type only; the daily scan creates what was missed.
            LogFailed(services.GetRequiredService<ILogger<ReminderTrigger>>(), e.GetType().Name);
        }
    }

    private static async Task Evaluate(IServiceProvider services, IDocumentStore store, Guid organisationId, Dictionary<Guid, List<object>> changed, CancellationToken ct)
    {
        var clock = services.GetRequiredService<IClock>();
        var jobs = services.GetRequiredService<IBackgroundJobClient>();
        var today = clock.Today();
        var tomorrow = today.PlusDays(1);
        await using var reader = store.QuerySession(Organisations.TenantIds.For(organisationId));
        var cases = await CaseCards.ByIdsAsync(reader, services.GetRequiredService<NpgsqlDataSource>(), changed.Keys, ct);
        ReminderSettings? settings = null;
        foreach (var summary in cases)
        {
            if (changed[summary.Id].Any(e => e is CaseReassigned or TransferDecided or CaseClosed or DataProtection.ProcessingRestricted or DataProtection.ConsentWithdrawn))
            {
                jobs.Enqueue<ReminderJobs>(j => j.ScanCase(organisationId, summary.Id, CancellationToken.None));
                continue;
            }

            settings ??= await services.GetRequiredService<ReminderPolicies>().ForAsync(organisationId, ct);
            var soon = ReminderRules.Due(summary, tomorrow, settings, Time.Berlin).ToList();
            if (soon.Count == 0)
            {
                continue;
            }

            var existing = await ExistingKeys(services.GetRequiredService<NpgsqlDataSource>(), organisationId, summary.Id, ct);
            var missing = soon.Where(r => !existing.Contains((r.Kind.ToString(), r.SubjectId, r.DueOn))).ToList();
            if (missing.Any(r => r.DueOn <= today))
            {
                jobs.Enqueue<ReminderJobs>(j => j.ScanCase(organisationId, summary.Id, CancellationToken.None));
            }
            else if (missing.Count > 0 && await PlanCheck(services.GetRequiredService<NpgsqlDataSource>(), summary.Id, tomorrow, ct))
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sofortprüfung der Erinnerungen fehlgeschlagen ({Error}); der tägliche Lauf holt sie nach.")]
    private static partial void LogFailed(ILogger logger, string error);

    private static async Task<HashSet<(string Kind, Guid Subject, LocalDate DueOn)>> ExistingKeys(NpgsqlDataSource dataSource, Guid organisationId, Guid caseId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select kind, subject_id, due_on from cases.reminders where organisation_id = $1 and case_id = $2");
        command.Parameters.Add(new() { Value = organisationId });
        command.Parameters.Add(new() { Value = caseId });
        await using var rows = await command.ExecuteReaderAsync(ct);
        var keys = new HashSet<(string, Guid, LocalDate)>();
        while (await rows.ReadAsync(ct))
        {
            keys.Add((rows.GetString(0), rows.GetGuid(1), rows.GetFieldValue<LocalDate>(2)));
        }

        return keys;
    }
}
