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

/// <summary>
/// The confirmation of a (bulk) reassignment: what will happen, to how many cases, from whom to whom. It carries the
/// exact selection with the version of each case as shown, so nothing changed in between is overwritten.
/// </summary>
public sealed record ReassignConfirmPage(IReadOnlyList<TeamCase> Cases, Guid ToManagerId, string ToName, string? ToTeam, string? Note, string Query)
{
    public string? Message { get; init; }

    /// <summary>The managers the cases come from, with how many cases each.</summary>
    public IReadOnlyList<(string Name, int Count)> From =>
        Cases.GroupBy(c => c.ManagerName).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.CurrentCulture).ToList();

    /// <summary>Cases with an open request to the lead (individual decision, extension): the request stays with the case.</summary>
    public int WithOpenApprovals => Cases.Count(c => c.Case.PendingRequests.Count > 0);

    /// <summary>The hidden selection: "case id:version" per case.</summary>
    public static string Entry(TeamCase teamCase) => $"{teamCase?.Case.Id}:{teamCase?.Case.Version}";

    /// <summary>Reads the selection back; entries that are not "id:version" are left out (and so stop nothing but themselves).</summary>
    public static Dictionary<Guid, long> Parse(IEnumerable<string>? entries) =>
        (entries ?? []).Select(e => e.Split(':')).Where(p => p.Length == 2 && Guid.TryParse(p[0], out _) && long.TryParse(p[1], out _))
            .GroupBy(p => Guid.Parse(p[0])).ToDictionary(g => g.Key, g => long.Parse(g.First()[1], System.Globalization.CultureInfo.InvariantCulture));
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
        // Nothing moves yet: every check runs, then the confirmation page says what will happen.
        var outcome = await mediator.Send(new ReassignCases(ids, form.ToManagerId, form.Note) { CheckOnly = true }, ct);
        if (outcome.Succeeded)
        {
            return View("Confirm", await ConfirmPage(ids, form.ToManagerId!.Value, form.Note, manager, status, search, figure, ct));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(manager, status, search, null, form, ct, figure: figure));
    }

    /// <summary>The confirmed move: exactly the cases of the confirmation page, each at the version shown there.</summary>
    [HttpPost("umverteilen/bestaetigen")]
    public async Task<IActionResult> ConfirmReassign(
        List<string> selection, Guid? toManagerId, string? note, Guid? manager, CaseStatus? status, string? search, CaseFigure? figure, CancellationToken ct)
    {
        var versions = ReassignConfirmPage.Parse(selection);
        var outcome = await mediator.Send(new ReassignCases(versions.Keys.ToList(), toManagerId, note) { ExpectedVersions = versions }, ct);
        if (outcome.Succeeded)
        {
            var message = outcome.Value!.TransferId is null
                ? Plurals.German(outcome.Value.Reassigned, "{0} Fall umverteilt.", "{0} Fälle umverteilt.")
                : Plurals.German(outcome.Value.TransferRequested,
                    "{0} Fall zur Übernahme angefragt; er bleibt im Team, bis die Teamleitung des anderen Teams zustimmt.",
                    "{0} Fälle zur Übernahme angefragt; sie bleiben im Team, bis die Teamleitung des anderen Teams zustimmt.");
            return this.Confirmed(message, nameof(Index), new { manager, status, search, figure });
        }

        if (outcome.Kind == OutcomeKind.Stale && toManagerId is { } to)
        {
            // Something changed in between: nothing moved; the page again with what is true now.
            var page = await ConfirmPage(versions.Keys.ToList(), to, note, manager, status, search, figure, ct);
            return View("Confirm", page with { Message = outcome.Errors[0].Message });
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(manager, status, search, null, new ReassignForm { CaseIds = [.. versions.Keys], ToManagerId = toManagerId, Note = note }, ct, figure: figure));
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

    private async Task<ReassignConfirmPage> ConfirmPage(
        IReadOnlyList<Guid> ids, Guid to, string? note, Guid? manager, CaseStatus? status, string? search, CaseFigure? figure, CancellationToken ct)
    {
        var all = await mediator.Send(new ListTeamCases(null, null, null), ct);
        var selected = ids.ToHashSet();
        var (toName, toTeam) = all.Managers.Where(m => m.Id == to).Select(m => (m.Name, (string?)null))
            .Concat(all.OtherTeams.Where(m => m.Id == to).Select(m => (m.Name, (string?)m.Team))).FirstOrDefault();
        var query = new TeamPage(all, manager, status, search, null, new ReassignForm()) { Figure = figure }.Query;
        return new ReassignConfirmPage(all.Cases.Where(c => selected.Contains(c.Case.Id)).ToList(), to, toName ?? "–", toTeam, note, query);
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
