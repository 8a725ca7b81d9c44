using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

public sealed record CaseAsOfPage(Guid CaseId, LocalDate Date, CaseAsOf? AsOf);

/// <summary>The case page (for the manager, a deputy and the lead of the manager's team) and the case as it was on a day.</summary>
[Route("faelle")]
public sealed class CasesController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    /// <summary>The overview (Überblick): the header, the client, eligibility, support period, situation, household and status.</summary>
    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Show(Guid id, CancellationToken ct) => await Section(id, CaseTab.Overview, 1, ct);

    /// <summary>Plan: profile, goals with their steps, reviews, referrals.</summary>
    [HttpGet("{id:guid}/plan")]
    public async Task<IActionResult> Plan(Guid id, CancellationToken ct) => await Section(id, CaseTab.Plan, 1, ct);

    /// <summary>Beratungen: the consultations, 20 per page, newest first.</summary>
    [HttpGet("{id:guid}/beratungen")]
    public async Task<IActionResult> Consultations(Guid id, CancellationToken ct, int page = 1) => await Section(id, CaseTab.Consultations, page, ct);

    [HttpGet("{id:guid}/termine")]
    public async Task<IActionResult> Appointments(Guid id, CancellationToken ct) => await Section(id, CaseTab.Appointments, 1, ct);

    [HttpGet("{id:guid}/erinnerungen")]
    public async Task<IActionResult> Reminders(Guid id, CancellationToken ct) => await Section(id, CaseTab.Reminders, 1, ct);

    [HttpGet("{id:guid}/dokumente")]
    public async Task<IActionResult> Documents(Guid id, CancellationToken ct) => await Section(id, CaseTab.Documents, 1, ct);

    /// <summary>Verlauf: every change of the case, 20 per page, newest first.</summary>
    [HttpGet("{id:guid}/verlauf")]
    public async Task<IActionResult> History(Guid id, CancellationToken ct, int page = 1) => await Section(id, CaseTab.History, page, ct);

    /// <summary>Datenschutz: the consent and its withdrawal.</summary>
    [HttpGet("{id:guid}/datenschutz")]
    public async Task<IActionResult> DataProtection(Guid id, CancellationToken ct) => await Section(id, CaseTab.DataProtection, 1, ct);

    private async Task<IActionResult> Section(Guid id, CaseTab tab, int page, CancellationToken ct) =>
        View(CaseView, await Page(id, this.Confirmation(), ct, tab: tab, listPage: page));

    /// <summary>The case and its plan as they were on a chosen day, by the dates the facts took effect (docs/as-of.md).</summary>
    [HttpGet("{id:guid}/stand")]
    public async Task<IActionResult> AsOf(Guid id, DateOnly? am, CancellationToken ct)
    {
        if (am is not { } day)
        {
            return RedirectToAction(nameof(Show), new { id });
        }

        var date = LocalDate.FromDateOnly(day);
        return View(new CaseAsOfPage(id, date, await Mediator.Send(new GetCaseAsOf(id, date), ct)));
    }
}
