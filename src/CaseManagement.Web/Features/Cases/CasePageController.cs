using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Features.Consultations;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

/// <summary>
/// A controller of a capability whose forms sit on the case page (<c>/faelle/{id}</c>): after a save the user is
/// back on the case with a confirmation (post/redirect/get); otherwise the case page again, with the messages next
/// to the fields and the user's input kept.
/// </summary>
[Authorize(Roles = Roles.CaseWorkers)]
public abstract class CasePageController(IMediator mediator, IClock clock) : Controller
{
    /// <summary>The case page, whichever capability's controller renders it.</summary>
    public const string CaseView = "~/Features/Cases/Cases/Show.cshtml";

    protected IMediator Mediator { get; } = mediator;

    protected IClock Clock { get; } = clock;

    private const string JustSavedKey = "cm.just-saved";

    /// <summary>Sends a change of the case and answers as <see cref="AfterChange"/> does.</summary>
    protected async Task<IActionResult> Change(Guid id, ICommand<Outcome<CaseChanged>> command, string confirmation, CasePlace at, CancellationToken ct, VersionedForm? submitted = null) =>
        await AfterChange(id, await Mediator.Send(command, ct), confirmation, at, ct, submitted);

    /// <summary>
    /// Success: back to the section and the item the user saved (PRG, <c>/faelle/{id}/plan#ziel-{goal}</c>), the item
    /// highlighted once and the confirmation shown. Otherwise that section with the messages and the user's input kept.
    /// </summary>
    protected async Task<IActionResult> AfterChange(Guid id, Outcome<CaseChanged> outcome, string confirmation, CasePlace at, CancellationToken ct, VersionedForm? submitted = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(at);
        if (outcome.Succeeded)
        {
            return BackTo(id, confirmation, at);
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(CaseView, await Page(id, null, ct, submitted, at.Tab));
    }

    /// <summary>Post/redirect/get to the section and the item, with the confirmation and the highlight (TempData, never the URL).</summary>
    protected RedirectResult BackTo(Guid id, string confirmation, CasePlace at)
    {
        ArgumentNullException.ThrowIfNull(at);
        this.Confirm(confirmation);
        TempData[JustSavedKey] = at.Anchor;
        return Redirect(CaseTabs.Url(id, at.Tab) + (at.Anchor is null ? "" : "#" + at.Anchor));
    }

    protected async Task<CasePage> Page(Guid id, string? message, CancellationToken ct, VersionedForm? submitted = null, CaseTab tab = CaseTab.Overview, int listPage = 1)
    {
        var summary = await Mediator.Send(new GetCase(id), ct);
        if (submitted is not null)
        {
            submitted.Version = summary.Version;
        }

        var today = Time.Today(Clock);
        var userId = User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var section = new CaseSection(summary, today, CaseActions.For(summary), submitted)
        {
            Errors = CaseSection.FirstErrors(ModelState), JustSaved = TempData[JustSavedKey] as string, ListPage = listPage,
        };
        if (section.Can.Work && tab == CaseTab.Plan)
        {
            section = section with { Offers = await Mediator.Send(new CaseManagement.LocalOffers.ListLocalOffers(), ct) };
        }

        var quickNote = section.Can.Work && tab == CaseTab.Overview ? QuickNoteBox.For(summary, today, await Mediator.Send(new GetQuickNotePresets(), ct)) : null;
        var timeline = tab == CaseTab.History ? await Mediator.Send(new GetCaseTimeline(id, What: null), ct) : [];
        return new CasePage(section, message, timeline)
        {
            Tab = tab,
            ManagerName = await Mediator.Send(new GetCaseManagerName(id), ct),
            Reminders = tab == CaseTab.Reminders ? await Mediator.Send(new CaseManagement.Reminders.ListMyReminders { CaseId = id }, ct) : [],
            QuickNote = submitted is QuickNoteForm form && quickNote is not null ? quickNote with { Submitted = form, Errors = section.Errors } : quickNote,
            BackToCaseload = User.IsInRole(Roles.Manager),
            Deputies = (await Mediator.Send(new GetCaseDeputies(id), ct))
                .Select(d => new DeputyNotice(d, d.DeputyId.ToString() == userId && d.FirstDay <= today)).ToList(),
        };
    }

    protected static LocalDate? Date(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}
