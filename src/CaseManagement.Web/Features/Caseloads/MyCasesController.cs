using System.Globalization;
using CaseManagement.Organisations;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Caseloads;

public sealed record CaseListPage(CaseList List, string? Search, CaseStatus? Status, EligibilityVerdict? Verdict, bool Overdue, LocalDate Today)
{
    /// <summary>Cases the manager works on today as a deputy.</summary>
    public IReadOnlyList<TeamCase> DeputyCases { get; init; } = [];

    /// <summary>The next planned appointment per case (by case id).</summary>
    public IReadOnlyDictionary<Guid, AppointmentView> NextAppointments { get; init; } = new Dictionary<Guid, AppointmentView>();

    public IReadOnlyList<CaseSummary> Cases => List.Items;

    /// <summary>The route values of the current filters and a page, for the paging links.</summary>
    public IDictionary<string, string> PageRoute(int page) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["search"] = Search ?? "",
        ["status"] = Status?.ToString() ?? "",
        ["verdict"] = Verdict?.ToString() ?? "",
        ["overdue"] = Overdue ? "true" : "false",
        ["page"] = page.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>An open case whose plan review or a goal's review date has passed.</summary>
    public bool IsReviewOverdue(CaseSummary c) => ListMyCasesHandler.IsReviewOverdue(c, Today);
}

/// <summary>"Meine Fälle": the integration manager's caseload, and the cases they work on today as a deputy.</summary>
[Authorize(Roles = Roles.Manager)]
[Route("faelle")]
public sealed class MyCasesController(IMediator mediator, IClock clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? search, CaseStatus? status, EligibilityVerdict? verdict, bool overdue = false, int page = 1, CancellationToken ct = default) =>
        View(new CaseListPage(await mediator.Send(new ListMyCases(search, status, verdict, overdue, page), ct), search, status, verdict, overdue, Time.Today(clock))
        {
            DeputyCases = await mediator.Send(new ListDeputyCases(), ct),
            NextAppointments = await mediator.Send(new GetMyNextAppointments(), ct),
        });
}
