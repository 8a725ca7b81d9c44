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
    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Show(Guid id, CancellationToken ct) =>
        View(await Page(id, this.Confirmation(), ct));

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
