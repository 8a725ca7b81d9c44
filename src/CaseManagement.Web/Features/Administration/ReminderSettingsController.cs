using CaseManagement.Web.Infrastructure;
using CaseManagement.Organisations;
using CaseManagement.Reminders;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Administration;

public sealed class ReminderSettingsForm
{
    public int? NoContactWeeks { get; set; }

    public int? SupportEndingMonths { get; set; }

    public int? ResidenceExpiringWeeks { get; set; }

    public int? ConsentValidMonths { get; set; }

    public int? ConsentRenewalNoticeWeeks { get; set; }

    public int? ApprovalWaitingWorkingDays { get; set; }

    public int? EligibilityRecheckDays { get; set; }

    public string? DailyAt { get; set; }

    public int Version { get; set; }

    public static ReminderSettingsForm From(ReminderSettingsView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var s = view.Settings;
        return new ReminderSettingsForm
        {
            NoContactWeeks = s.NoContactWeeks,
            SupportEndingMonths = s.SupportEndingMonths,
            ResidenceExpiringWeeks = s.ResidenceExpiringWeeks,
            ConsentValidMonths = s.ConsentValidMonths,
            ConsentRenewalNoticeWeeks = s.ConsentRenewalNoticeWeeks,
            ApprovalWaitingWorkingDays = s.ApprovalWaitingWorkingDays,
            EligibilityRecheckDays = s.EligibilityRecheckDays,
            DailyAt = s.DailyAt.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            Version = view.Version,
        };
    }

    public SaveReminderSettings ToCommand() => new(NoContactWeeks, SupportEndingMonths, ResidenceExpiringWeeks, ConsentValidMonths,
        ConsentRenewalNoticeWeeks, ApprovalWaitingWorkingDays, EligibilityRecheckDays, DailyAt, Version);
}

public sealed record ReminderSettingsPage(ReminderSettingsView View, ReminderSettingsForm Form, string? Message);

/// <summary>Administrators set the organisation's reminder thresholds and the time of the daily run.</summary>
[Authorize(Roles = Roles.Administrator)]
[Route("verwaltung/erinnerungen")]
public sealed class ReminderSettingsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var view = await mediator.Send(new GetReminderSettings(), ct);
        return View(new ReminderSettingsPage(view, ReminderSettingsForm.From(view), this.Confirmation()));
    }

    [HttpPost("")]
    public async Task<IActionResult> Save(ReminderSettingsForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(form.ToCommand(), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Die Einstellungen wurden gespeichert.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        var view = await mediator.Send(new GetReminderSettings(), ct);
        return View(nameof(Index), new ReminderSettingsPage(view, form, null));
    }
}
