using CaseManagement.Web.Infrastructure;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Caseloads;

public sealed class ReassignForm
{
    public List<Guid> CaseIds { get; set; } = [];

    public Guid? ToManagerId { get; set; }

    public string? Note { get; set; }

    /// <summary>The second button: every case the current filter shows, instead of the ticked ones.</summary>
    public bool AllShown { get; set; }
}

public sealed class DeputyForm
{
    public Guid? DeputyId { get; set; }

    public Guid? AbsentManagerId { get; set; }

    public DateOnly? FirstDay { get; set; }

    public DateOnly? LastDay { get; set; }
}

public sealed record TeamPage(TeamCaseList List, Guid? Manager, CaseStatus? Status, string? Search, string? Message, ReassignForm Form)
{
    public TeamDashboardView? Dashboard { get; init; }

    public CaseFigure? Figure { get; init; }

    /// <summary>Query string of the current filters (kept across the reassignment post).</summary>
    public string Query => $"?manager={Manager}&status={Status}&search={Uri.EscapeDataString(Search ?? "")}&figure={Figure}";

    public IReadOnlyList<DeputyGrantView> Deputies { get; init; } = [];

    public DeputyForm Deputy { get; init; } = new();

    public NodaTime.LocalDate Today { get; init; }

    /// <summary>The Vertretung has begun.</summary>
    public bool Running(DeputyGrantView grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.FirstDay <= Today;
    }
}

/// <summary>Team: the lead's view of the team's caseload, with (bulk) reassignment.</summary>
[Authorize(Roles = Roles.TeamLead)]
[Route("team")]
public sealed class TeamController(IMediator mediator, NodaTime.IClock clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(Guid? manager, CaseStatus? status, string? search, CaseFigure? figure, CancellationToken ct) =>
        View(await Page(manager, status, search, this.Confirmation(), new ReassignForm(), ct, figure: figure));

    [HttpPost("umverteilen")]
    public async Task<IActionResult> Reassign(ReassignForm form, Guid? manager, CaseStatus? status, string? search, CaseFigure? figure, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var ids = form.AllShown
            ? (await mediator.Send(new ListTeamCases(manager, status, search, figure), ct)).Cases.Select(c => c.Case.Id).ToList()
            : form.CaseIds;
        var outcome = await mediator.Send(new ReassignCases(ids, form.ToManagerId, form.Note), ct);
        if (outcome.Succeeded)
        {
            var message = outcome.Value!.TransferId is null
                ? $"{outcome.Value.Reassigned} Fälle umverteilt."
                : $"{outcome.Value.TransferRequested} Fälle zur Übernahme angefragt; sie bleiben im Team, bis die Teamleitung des anderen Teams zustimmt.";
            return this.Confirmed(message, nameof(Index), new { manager, status, search, figure });
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(manager, status, search, null, form, ct, figure: figure));
    }

    [HttpPost("vertretungen")]
    public async Task<IActionResult> GrantDeputy(DeputyForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new GrantDeputy(form.DeputyId, form.AbsentManagerId, Day(form.FirstDay), Day(form.LastDay)), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Die Vertretung ist eingetragen.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(null, null, null, null, new ReassignForm(), ct, form));
    }

    [HttpPost("vertretungen/{grantId:guid}/beenden")]
    public async Task<IActionResult> EndDeputy(Guid grantId, CancellationToken ct)
    {
        var outcome = await mediator.Send(new EndDeputy(grantId), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Die Vertretung ist beendet.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(null, null, null, null, new ReassignForm(), ct));
    }

    private async Task<TeamPage> Page(
        Guid? manager, CaseStatus? status, string? search, string? message, ReassignForm form, CancellationToken ct, DeputyForm? deputy = null, CaseFigure? figure = null) =>
        new(await mediator.Send(new ListTeamCases(manager, status, search, figure), ct), manager, status, search, message, form)
        {
            Dashboard = await mediator.Send(new GetTeamDashboard(), ct),
            Figure = figure,
            Deputies = await mediator.Send(new ListTeamDeputies(), ct),
            Deputy = deputy ?? new DeputyForm(),
            Today = CaseManagement.Common.Time.Today(clock),
        };

    private static NodaTime.LocalDate? Day(DateOnly? value) => value is { } d ? NodaTime.LocalDate.FromDateOnly(d) : null;
}
