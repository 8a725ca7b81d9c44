using CaseManagement.Web.Features.Cases;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Plans;

public sealed class GoalReviewForm
{
    public Guid GoalId { get; set; }

    public ReviewOutcome Outcome { get; set; }

    public string? NewText { get; set; }

    public DateOnly? NewTargetDate { get; set; }

    public GoalStatus? ClosedAs { get; set; }

    public string? Reason { get; set; }
}

public sealed class ReviewForm : VersionedForm
{
    public DateOnly? Date { get; set; }

    public string? Summary { get; set; }

    public DateOnly? NextReview { get; set; }

    public List<GoalReviewForm> Goals { get; set; } = [];
}

/// <summary>The review of the plan (Fortschreibung): every open goal continued, changed or closed.</summary>
[Route("faelle")]
public sealed class ReviewsController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/fortschreibung")]
    public async Task<IActionResult> Review(Guid id, ReviewForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var goals = form.Goals.Select(g => new GoalReview(g.GoalId, g.Outcome, g.NewText, Date(g.NewTargetDate), g.ClosedAs, g.Reason)).ToList();
        return await Change(id, new ReviewPlan(id, form.Version, Date(form.Date), form.Summary, goals, Date(form.NextReview)), "Die Fortschreibung ist gespeichert.", new CasePlace(CaseTab.Plan, "plan-title"), ct, form);
    }
}
