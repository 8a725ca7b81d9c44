using CaseManagement.Web.Features.Cases;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Plans;

public sealed class GoalForm : VersionedForm
{
    public FieldOfAction? Field { get; set; }

    public string? Text { get; set; }

    public DateOnly? AgreedOn { get; set; }

    public DateOnly? TargetDate { get; set; }

    public DateOnly? NextReview { get; set; }

    public GoalStatus? Status { get; set; }

    public string? Reason { get; set; }

    public string? ClientSummary { get; set; }
}

/// <summary>The goals of the plan and their steps.</summary>
[Route("faelle")]
public sealed class GoalsController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/ziele")]
    public async Task<IActionResult> AgreeGoal(Guid id, GoalForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var goalId = Guid.CreateVersion7();
        return await Change(id, new AgreeGoal(id, form.Version, goalId, form.Field, form.Text,
            Date(form.AgreedOn), Date(form.TargetDate), Date(form.NextReview), form.ClientSummary), "Das Ziel ist im Integrationsplan.", CasePlace.Goal(goalId), ct, form);
    }

    [HttpPost("{id:guid}/ziele/{goalId:guid}/status")]
    public async Task<IActionResult> ChangeGoalStatus(Guid id, Guid goalId, GoalForm form, CancellationToken ct) =>
        await Change(id, new ChangeGoalStatus(id, form.Version, goalId, form.Status, form.Reason), "Der Stand des Ziels ist gespeichert.", CasePlace.Goal(goalId), ct);

    [HttpPost("{id:guid}/ziele/{goalId:guid}/schritte")]
    public async Task<IActionResult> PlanStep(Guid id, Guid goalId, long version, string? text, StepResponsible? responsible, string? service, DateOnly? dueDate, CancellationToken ct) =>
        await Change(id, new PlanStep(id, version, goalId, text, responsible, service, Date(dueDate)), "Der Schritt ist geplant.", CasePlace.Goal(goalId), ct);

    [HttpPost("{id:guid}/ziele/{goalId:guid}/schritte/{stepId:guid}/erledigt")]
    public async Task<IActionResult> CompleteStep(Guid id, Guid goalId, Guid stepId, long version, CancellationToken ct) =>
        await Change(id, new CompleteStep(id, version, goalId, stepId, null), "Der Schritt ist erledigt.", CasePlace.Goal(goalId), ct);
}
