namespace CaseManagement.Plans;

/// <summary>Handlungsfeld. The first five are the programme's fields; the others come from practice (DESIGN.md §2).</summary>
public enum FieldOfAction
{
    Language,
    LabourMarket,
    QualificationRecognition,
    Housing,
    SchoolAndEducation,
    Health,
    ChildrenAndFamily,
    FinancesAndBenefits,
    SocialParticipation,
    Residence,
}

public enum GoalStatus
{
    Agreed,
    InProgress,
    Achieved,
    PartlyAchieved,
    NotAchieved,
    Dropped,
}

/// <summary>A goal of the Integrationsplan, agreed with the client on a date.</summary>
public sealed record GoalAgreed(
    Guid CaseId, Guid GoalId, FieldOfAction Field, string Text, LocalDate AgreedOn, LocalDate TargetDate, LocalDate? NextReview,
    Guid AgreedBy, Instant AgreedAt, string? ClientSummary = null) : ICaseEvent
{
    Guid ICaseEvent.Actor => AgreedBy;

    Instant ICaseEvent.At => AgreedAt;
}

public sealed record GoalStatusChanged(Guid CaseId, Guid GoalId, GoalStatus Status, string? Reason, Guid ChangedBy, Instant ChangedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ChangedBy;

    Instant ICaseEvent.At => ChangedAt;
}

public static class Goals
{
    public const int MaxTextLength = 1000;

    /// <summary>Why a goal was dropped (status change or review).</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The optional short summary of a goal in the client's language (printed beside the German text).</summary>
    public const int MaxClientSummaryLength = 300;

    public static string FieldLabel(FieldOfAction field) => Labels.Of(field);

    public static string StatusLabel(GoalStatus status) => Labels.Of(status);

    public static bool IsFinal(GoalStatus status) => status is GoalStatus.Achieved or GoalStatus.PartlyAchieved or GoalStatus.NotAchieved or GoalStatus.Dropped;

    /// <summary>agreed → in progress → achieved / partly / not achieved; dropped (with reason) from agreed or in progress.</summary>
    public static IReadOnlyList<GoalStatus> NextStatuses(GoalStatus current) => current switch
    {
        GoalStatus.Agreed => [GoalStatus.InProgress, GoalStatus.Dropped],
        GoalStatus.InProgress => [GoalStatus.Achieved, GoalStatus.PartlyAchieved, GoalStatus.NotAchieved, GoalStatus.Dropped],
        _ => [],
    };

    public static object[] Agree(
        ClientCase state, Guid goalId, FieldOfAction field, string text, LocalDate agreedOn, LocalDate targetDate, LocalDate? nextReview,
        LocalDate today, Guid actor, Instant now, string? clientSummary = null)
    {
        ClientCaseDecisions.RequireNotClosed(state);

        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new CaseRuleException(Messages.Goals.TextRequired);
        }

        if (trimmed.Length > MaxTextLength)
        {
            throw new CaseRuleException(Messages.Goals.TextTooLong(MaxTextLength));
        }

        if (agreedOn > today)
        {
            throw new CaseRuleException(Messages.Goals.AgreedInFuture);
        }

        if (targetDate < agreedOn)
        {
            throw new CaseRuleException(Messages.Goals.TargetBeforeAgreed);
        }

        if (nextReview is { } review && review < agreedOn)
        {
            throw new CaseRuleException(Messages.Goals.ReviewBeforeAgreed);
        }

        return [new GoalAgreed(state.Id, goalId, field, trimmed, agreedOn, targetDate, nextReview, actor, now, Checks.Trimmed(clientSummary))];
    }

    public static object[] ChangeStatus(ClientCase state, Guid goalId, GoalStatus status, string? reason, Guid actor, Instant now)
    {
        ClientCaseDecisions.RequireNotClosed(state);

        if (!state.Goals.TryGetValue(goalId, out var current))
        {
            throw new CaseRuleException("Dieses Ziel gibt es im Integrationsplan nicht.");
        }

        if (!NextStatuses(current).Contains(status))
        {
            var allowed = NextStatuses(current);
            throw CaseRuleException.Transition(allowed.Count == 0
                ? $"Das Ziel ist bereits „{StatusLabel(current)}“ und kann nicht mehr geändert werden."
                : $"Von „{StatusLabel(current)}“ geht es nur nach {string.Join(" oder ", allowed.Select(s => $"„{StatusLabel(s)}“"))}.");
        }

        if (status == GoalStatus.Dropped && string.IsNullOrWhiteSpace(reason))
        {
            throw new CaseRuleException(Messages.Goals.DropReasonRequired);
        }

        return [new GoalStatusChanged(state.Id, goalId, status, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), actor, now)];
    }
}
