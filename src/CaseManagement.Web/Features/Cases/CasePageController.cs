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

    /// <summary>Sends a change of the case and answers as <see cref="AfterChange"/> does.</summary>
    protected async Task<IActionResult> Change(Guid id, ICommand<Outcome<CaseChanged>> command, string confirmation, CancellationToken ct, VersionedForm? submitted = null) =>
        await AfterChange(id, await Mediator.Send(command, ct), confirmation, ct, submitted);

    /// <summary>Success: back to the case (PRG). Otherwise the case page with the messages and the user's input kept.</summary>
    protected async Task<IActionResult> AfterChange(Guid id, Outcome<CaseChanged> outcome, string confirmation, CancellationToken ct, VersionedForm? submitted = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Succeeded)
        {
            return this.Confirmed(confirmation, nameof(CasesController.Show), "Cases", new { id });
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(CaseView, await Page(id, null, ct, submitted));
    }

    protected async Task<CasePage> Page(Guid id, string? message, CancellationToken ct, VersionedForm? submitted = null)
    {
        var summary = await Mediator.Send(new GetCase(id), ct);
        if (submitted is not null)
        {
            submitted.Version = summary.Version;
        }

        var today = Time.Today(Clock);
        var userId = User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var section = new CaseSection(summary, today, CaseActions.For(summary), submitted) { Errors = CaseSection.FirstErrors(ModelState) };
        if (section.Can.Work)
        {
            section = section with { Offers = await Mediator.Send(new CaseManagement.LocalOffers.ListLocalOffers(), ct) };
        }

        var quickNote = section.Can.Work ? QuickNoteBox.For(summary, today, await Mediator.Send(new GetQuickNotePresets(), ct)) : null;
        return new CasePage(section, message, await Mediator.Send(new GetCaseTimeline(id, What: null), ct))
        {
            QuickNote = submitted is QuickNoteForm form && quickNote is not null ? quickNote with { Submitted = form, Errors = section.Errors } : quickNote,
            BackToCaseload = User.IsInRole(Roles.Manager),
            Deputies = (await Mediator.Send(new GetCaseDeputies(id), ct))
                .Select(d => new DeputyNotice(d, d.DeputyId.ToString() == userId && d.FirstDay <= today)).ToList(),
        };
    }

    protected static LocalDate? Date(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}
