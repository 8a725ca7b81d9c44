using System.Globalization;
using CaseManagement.Organisations;
using CaseManagement.Web.Infrastructure;
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

    /// <summary>The confirmation after a save (a quick note), shown once.</summary>
    public string? Message { get; init; }

    /// <summary>The quick note's presets: the user's last mode and duration.</summary>
    public QuickNotePresets Presets { get; init; } = new(null, QuickNotePresets.FirstDuration);

    /// <summary>The case whose quick note was refused (its form open again with the messages), else null.</summary>
    public Guid? QuickNoteFor { get; init; }

    public Consultations.QuickNoteForm? QuickNote { get; init; }

    public IReadOnlyDictionary<string, string> QuickNoteErrors { get; init; } = new Dictionary<string, string>();

    /// <summary>The quick note box of a row: it takes work (processing rules), open again after a refusal.</summary>
    public Consultations.QuickNoteBox? QuickNoteBox(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!ProcessingRules.Takes(c, CaseChangeKind.Work))
        {
            return null;
        }

        var box = Consultations.QuickNoteBox.For(c, Today, Presets) with { OnList = true, List = this };
        return QuickNoteFor == c.Id ? box with { Submitted = QuickNote, Errors = QuickNoteErrors } : box;
    }
}

/// <summary>"Meine Fälle": the integration manager's caseload, and the cases they work on today as a deputy.</summary>
[Authorize(Roles = Roles.Manager)]
[Route("faelle")]
public sealed class MyCasesController(IMediator mediator, IClock clock) : Controller
{
    public const string IndexView = "~/Features/Caseloads/MyCases/Index.cshtml";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? search, CaseStatus? status, EligibilityVerdict? verdict, bool overdue = false, int page = 1, CancellationToken ct = default) =>
        View(await Page(mediator, clock, search, status, verdict, overdue, page, ct) with { Message = this.Confirmation() });

    /// <summary>The list as the filters and the page ask, with the user's quick note presets.</summary>
    public static async Task<CaseListPage> Page(IMediator mediator, IClock clock, string? search, CaseStatus? status, EligibilityVerdict? verdict, bool overdue, int page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mediator);
        return new CaseListPage(await mediator.Send(new ListMyCases(search, status, verdict, overdue, page), ct), search, status, verdict, overdue, Time.Today(clock))
        {
            DeputyCases = await mediator.Send(new ListDeputyCases(), ct),
            NextAppointments = await mediator.Send(new GetMyNextAppointments(), ct),
            Presets = await mediator.Send(new GetQuickNotePresets(), ct),
        };
    }
}
