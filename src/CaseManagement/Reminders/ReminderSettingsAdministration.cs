using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CaseManagement.Reminders;

/// <summary>The organisation's reminder settings as the administration page shows them.</summary>
public sealed record ReminderSettingsView(ReminderSettings Settings, bool OwnSettings, int Version, Instant NextRun);

public sealed record GetReminderSettings : IQuery<ReminderSettingsView>;

/// <summary>Administrators set the organisation's reminder thresholds and the daily time (HH:mm, Europe/Berlin).</summary>
public sealed record SaveReminderSettings(
    int? NoContactWeeks,
    int? SupportEndingMonths,
    int? ResidenceExpiringWeeks,
    int? ConsentValidMonths,
    int? ConsentRenewalNoticeWeeks,
    int? ApprovalWaitingWorkingDays,
    int? EligibilityRecheckDays,
    string? DailyAt,
    int Version) : ICommand<Outcome<int>>;

public sealed class ReminderSettingsHandlers(AppDbContext db, ICurrentUser user, ReminderPolicies policies, IRecurringJobManager jobs, IClock clock,
    ILogger<ReminderSettingsHandlers> logger) :
    IQueryHandler<GetReminderSettings, ReminderSettingsView>,
    ICommandHandler<SaveReminderSettings, Outcome<int>>
{
    public const string StaleMessage = "Jemand anderes hat die Einstellungen inzwischen geändert. Es wurde nichts gespeichert; bitte die aktuellen Werte prüfen und erneut speichern.";

    public async ValueTask<ReminderSettingsView> Handle(GetReminderSettings query, CancellationToken cancellationToken)
    {
        var organisationId = user.RequireAdministratorOrganisation();
        var own = await db.ReminderSettings.AsNoTracking().SingleOrDefaultAsync(s => s.OrganisationId == organisationId, cancellationToken);
        var settings = own?.ToSettings() ?? policies.Defaults;
        return new ReminderSettingsView(settings, own is not null, own?.Version ?? 0, ReminderSchedule.NextRun(clock.GetCurrentInstant(), settings.DailyAt));
    }

    public async ValueTask<Outcome<int>> Handle(SaveReminderSettings command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireAdministratorOrganisation();
        var checks = new Checks();
        checks.Range(command.NoContactWeeks, 1, 52, nameof(command.NoContactWeeks), "Wochen ohne Kontakt");
        checks.Range(command.SupportEndingMonths, 1, 12, nameof(command.SupportEndingMonths), "Monate vor Ende des Förderzeitraums");
        checks.Range(command.ResidenceExpiringWeeks, 1, 26, nameof(command.ResidenceExpiringWeeks), "Wochen vor Ablauf des Aufenthaltsdokuments");
        checks.Range(command.ConsentValidMonths, 1, 60, nameof(command.ConsentValidMonths), "Gültigkeit der Einwilligung in Monaten");
        checks.Range(command.ConsentRenewalNoticeWeeks, 1, 12, nameof(command.ConsentRenewalNoticeWeeks), "Wochen Vorlauf für die Erneuerung der Einwilligung");
        checks.Range(command.ApprovalWaitingWorkingDays, 1, 30, nameof(command.ApprovalWaitingWorkingDays), "Arbeitstage bis zur Erinnerung an offene Anträge");
        checks.Range(command.EligibilityRecheckDays, 0, 30, nameof(command.EligibilityRecheckDays), "Tage bis zur Prüfung des Anspruchs nach Statusänderung");
        if (!TimeOnly.TryParseExact(command.DailyAt?.Trim(), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var dailyAt))
        {
            checks.Add(nameof(command.DailyAt), "Uhrzeit des täglichen Laufs: bitte als SS:MM angeben, z. B. 06:30.");
        }

        if (checks.Failed)
        {
            return Outcome<int>.Failure(checks.Errors);
        }

        var row = await db.ReminderSettings.SingleOrDefaultAsync(s => s.OrganisationId == organisationId, cancellationToken);
        if ((row?.Version ?? 0) != command.Version)
        {
            return Outcome<int>.Fail("Version", StaleMessage);
        }

        if (row is null)
        {
            row = new OrganisationReminderSettings { OrganisationId = organisationId };
            db.ReminderSettings.Add(row);
        }

        row.NoContactWeeks = command.NoContactWeeks!.Value;
        row.SupportEndingMonths = command.SupportEndingMonths!.Value;
        row.ResidenceExpiringWeeks = command.ResidenceExpiringWeeks!.Value;
        row.ConsentValidMonths = command.ConsentValidMonths!.Value;
        row.ConsentRenewalNoticeWeeks = command.ConsentRenewalNoticeWeeks!.Value;
        row.ApprovalWaitingWorkingDays = command.ApprovalWaitingWorkingDays!.Value;
        row.EligibilityRecheckDays = command.EligibilityRecheckDays!.Value;
        row.DailyAt = dailyAt;
        row.Version = command.Version + 1;
        // Every case's next day was planned with the old thresholds: the next daily run evaluates all cases again.
        await db.Database.ExecuteSqlAsync($"delete from cases.reminder_plans where organisation_id = {organisationId}", cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // DbUpdateConcurrencyException (the row changed) or a unique violation (two first saves at once).
            return Outcome<int>.Fail("Version", StaleMessage);
        }

        await policies.ForgetAsync(organisationId);
        DatabaseFaults.AfterCommit(logger, "Tageslauf neu planen", () => ReminderSchedule.Register(jobs, organisationId, dailyAt));
        return Outcome<int>.Success(row.Version);
    }
}
