using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

/// <summary>The small forms for lifecycle and requests to the team lead; kept as typed when a submit fails.</summary>
public sealed class LifecycleForm : VersionedForm
{
    public string? Note { get; set; }

    public ClosingReason? Reason { get; set; }

    public DateOnly? ClosedOn { get; set; }

    public string? Justification { get; set; }
}

/// <summary>The confirmation before a case is closed: what happens, with the input and the version the user saw.</summary>
public sealed record CloseConfirmPage(CaseSummary Case, LifecycleForm Form, LocalDate ClosedOn)
{
    /// <summary>Goals still agreed or in progress: they stay as they are, the plan ends with the case.</summary>
    public int OpenGoals => Case.Goals.Count(g => g.Status is CaseManagement.Plans.GoalStatus.Agreed or CaseManagement.Plans.GoalStatus.InProgress);
}

/// <summary>The case's lifecycle (pause, resume, close, reopen) and the requests to the team lead (individual decision, extension).</summary>
[Route("faelle")]
public sealed class LifecycleController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/ruhen")]
    public async Task<IActionResult> Pause(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Change(id, new PauseCase(id, form.Version, form.Note), "Der Fall ruht.", new CasePlace(CaseTab.Overview, "status-title"), ct, form);

    [HttpPost("{id:guid}/fortsetzen")]
    public async Task<IActionResult> Resume(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Change(id, new ResumeCase(id, form.Version), "Der Fall wird fortgesetzt.", new CasePlace(CaseTab.Overview, "status-title"), ct, form);

    /// <summary>First step: every check runs, nothing changes; the confirmation page says what closing does.</summary>
    [HttpPost("{id:guid}/abschliessen")]
    public async Task<IActionResult> Close(Guid id, LifecycleForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var check = await Mediator.Send(new CloseCase(id, form.Version, form.Reason, Date(form.ClosedOn), form.Note) { CheckOnly = true }, ct);
        if (!check.Succeeded)
        {
            return await AfterChange(id, check, "", new CasePlace(CaseTab.Overview, "status-title"), ct, form);
        }

        var summary = await Mediator.Send(new GetCase(id), ct);
        return View("ConfirmClose", new CloseConfirmPage(summary, form, Date(form.ClosedOn) ?? Time.Today(Clock)));
    }

    /// <summary>The confirmed close, at the version the user saw on the case page.</summary>
    [HttpPost("{id:guid}/abschliessen/bestaetigen")]
    public async Task<IActionResult> ConfirmClose(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Change(id, new CloseCase(id, form.Version, form.Reason, Date(form.ClosedOn), form.Note), "Der Fall ist abgeschlossen.", new CasePlace(CaseTab.Overview, "status-title"), ct, form);

    [HttpPost("{id:guid}/wiedereroeffnen")]
    public async Task<IActionResult> Reopen(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Change(id, new ReopenCase(id, form.Version, form.Note), "Der Fall ist wieder eröffnet.", new CasePlace(CaseTab.Overview, "status-title"), ct, form);

    [HttpPost("{id:guid}/einzelfallentscheidung")]
    public async Task<IActionResult> RequestDecision(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Change(id, new RequestIndividualDecision(id, form.Version, form.Justification),
            "Die Einzelfallentscheidung ist bei der Teamleitung beantragt.", new CasePlace(CaseTab.Overview, "eligibility-title"), ct, form);

    [HttpPost("{id:guid}/verlaengerung")]
    public async Task<IActionResult> RequestExtension(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Change(id, new RequestSupportExtension(id, form.Version, form.Justification),
            "Die Verlängerung ist bei der Teamleitung beantragt.", new CasePlace(CaseTab.Overview, "support-title"), ct, form);
}
