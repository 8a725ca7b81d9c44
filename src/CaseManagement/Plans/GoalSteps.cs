using Marten;

namespace CaseManagement.Plans;

/// <summary>Who takes a step: the client, the manager, or a named other service (Jobcenter, school, …).</summary>
public enum StepResponsible
{
    Client,
    Manager,
    OtherService,
}

public sealed record StepPlanned(
    Guid CaseId, Guid GoalId, Guid StepId, string Text, StepResponsible Responsible, string? Service, LocalDate? DueDate,
    Guid PlannedBy, Instant PlannedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => PlannedBy;

    Instant ICaseEvent.At => PlannedAt;
}

public sealed record StepCompleted(Guid CaseId, Guid GoalId, Guid StepId, LocalDate CompletedOn, Guid CompletedBy, Instant CompletedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => CompletedBy;

    Instant ICaseEvent.At => CompletedAt;
}

/// <summary>A step on the way to a goal as the case page shows it.</summary>
public sealed record StepView(Guid Id, string Text, StepResponsible Responsible, string? Service, LocalDate? DueDate, LocalDate? CompletedOn);

public static class GoalSteps
{
    public const int MaxTextLength = 500;

    /// <summary>The service responsible for a step ("andere Stelle").</summary>
    public const int MaxServiceLength = 200;

    public static string ResponsibleLabel(StepResponsible responsible, string? service) => responsible switch
    {
        StepResponsible.Client => "Klient:in",
        StepResponsible.Manager => "Integrationsmanagement",
        _ => service ?? "andere Stelle",
    };

    public static object[] Plan(
        ClientCase state, Guid goalId, Guid stepId, string text, StepResponsible responsible, string? service, LocalDate? dueDate, Guid actor, Instant now)
    {
        RequireOpenGoal(state, goalId);
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length is 0 or > MaxTextLength)
        {
            throw new CaseRuleException($"Bitte den Schritt beschreiben (höchstens {MaxTextLength} Zeichen).");
        }

        var serviceName = string.IsNullOrWhiteSpace(service) ? null : service.Trim();
        if (responsible == StepResponsible.OtherService && serviceName is null)
        {
            throw new CaseRuleException("Bitte die zuständige Stelle nennen (z. B. Jobcenter, Schule, Anerkennungsberatung).");
        }

        return [new StepPlanned(state.Id, goalId, stepId, trimmed, responsible, responsible == StepResponsible.OtherService ? serviceName : null, dueDate, actor, now)];
    }

    public static object[] Complete(ClientCase state, Guid goalId, Guid stepId, LocalDate completedOn, LocalDate today, Guid actor, Instant now)
    {
        RequireOpenGoal(state, goalId);
        if (!state.OpenSteps.Contains(stepId))
        {
            throw CaseRuleException.Transition("Diesen offenen Schritt gibt es bei diesem Ziel nicht (schon erledigt?).");
        }

        if (completedOn > today)
        {
            throw new CaseRuleException("Ein Schritt kann nicht in der Zukunft erledigt worden sein.");
        }

        return [new StepCompleted(state.Id, goalId, stepId, completedOn, actor, now)];
    }

    private static void RequireOpenGoal(ClientCase state, Guid goalId)
    {
        ClientCaseDecisions.RequireNotClosed(state);

        if (!state.Goals.TryGetValue(goalId, out var status) || Goals.IsFinal(status))
        {
            throw new CaseRuleException("Schritte gibt es nur zu offenen Zielen dieses Integrationsplans.");
        }
    }
}

public sealed record PlanStep(Guid CaseId, long ExpectedVersion, Guid GoalId, string? Text, StepResponsible? Responsible, string? Service, LocalDate? DueDate)
    : ICommand<Outcome<CaseChanged>>;

public sealed record CompleteStep(Guid CaseId, long ExpectedVersion, Guid GoalId, Guid StepId, LocalDate? CompletedOn) : ICommand<Outcome<CaseChanged>>;

public sealed class GoalStepHandlers(CaseGate gate, ICurrentUser user, IClock clock) :
    ICommandHandler<PlanStep, Outcome<CaseChanged>>,
    ICommandHandler<CompleteStep, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(PlanStep command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Responsible is not { } responsible || !Enum.IsDefined(responsible))
        {
            return Outcome<CaseChanged>.Fail(nameof(PlanStep.Responsible), "Bitte angeben, wer den Schritt übernimmt.");
        }

        if (command.DueDate is { } due && !DateRange.Plan(clock.Today()).Contains(due))
        {
            return Outcome<CaseChanged>.Fail(nameof(PlanStep.DueDate), PlanGoalHandlers.PlanDateMessage("Der Termin des Schritts", clock.Today()));
        }

        var checks = new Checks();
        checks.Text(command.Text, GoalSteps.MaxTextLength, nameof(PlanStep.Text), "den Schritt", required: true);
        checks.Text(command.Service, GoalSteps.MaxServiceLength, nameof(PlanStep.Service), "die zuständige Stelle");
        if (checks.Failed)
        {
            return Outcome<CaseChanged>.Failure(checks.Errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => GoalSteps.Plan(state, command.GoalId, Guid.CreateVersion7(), command.Text ?? "", responsible, command.Service, command.DueDate, user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
    }

    public async ValueTask<Outcome<CaseChanged>> Handle(CompleteStep command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var today = clock.Today();
        var checks = new Checks();
        checks.Date(command.CompletedOn, DateRange.Recorded(today), nameof(CompleteStep.CompletedOn), "der Tag der Erledigung", required: false);
        if (checks.Failed)
        {
            return Outcome<CaseChanged>.Failure(checks.Errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => GoalSteps.Complete(state, command.GoalId, command.StepId, command.CompletedOn ?? today, today, user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
    }
}
