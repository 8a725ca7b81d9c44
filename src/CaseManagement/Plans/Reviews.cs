using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using Marten;
using Mediator;
using NodaTime;

namespace CaseManagement.Plans;

public enum ReviewOutcome
{
    /// <summary>Weiterverfolgen.</summary>
    Continue,

    /// <summary>Anpassen (text and/or target date).</summary>
    Change,

    /// <summary>Abschließen (achieved, partly, not achieved or dropped).</summary>
    Close,
}

/// <summary>What the review decided for one goal.</summary>
public sealed record GoalReview(Guid GoalId, ReviewOutcome Outcome, string? NewText, LocalDate? NewTargetDate, GoalStatus? ClosedAs, string? Reason);

/// <summary>Fortschreibung: a dated review of the plan with a summary and a decision per open goal.</summary>
public sealed record PlanReviewed(
    Guid CaseId, Guid ReviewId, LocalDate Date, string Summary, IReadOnlyList<GoalReview> Goals, LocalDate? NextReview,
    Guid ReviewedBy, Instant ReviewedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ReviewedBy;

    Instant ICaseEvent.At => ReviewedAt;
}

public static class Reviews
{
    public const int MaxSummaryLength = 4000;

    /// <summary>Goals assessed in one review (a plan has far fewer open goals).</summary>
    public const int MaxGoals = 100;

    public static object[] Review(
        ClientCase state, Guid reviewId, LocalDate date, string summary, IReadOnlyList<GoalReview> goals, LocalDate? nextReview,
        LocalDate today, Guid actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(goals);
        ClientCaseDecisions.RequireNotClosed(state);

        if (date > today)
        {
            throw new CaseRuleException("Eine Fortschreibung kann nicht in der Zukunft liegen.");
        }

        var text = summary?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxSummaryLength)
        {
            throw new CaseRuleException($"Bitte die Fortschreibung zusammenfassen (höchstens {MaxSummaryLength} Zeichen).");
        }

        if (nextReview is { } next && next <= date)
        {
            throw new CaseRuleException("Die nächste Fortschreibung muss nach dieser liegen.");
        }

        if (goals.Select(g => g.GoalId).Distinct().Count() != goals.Count)
        {
            throw new CaseRuleException("Jedes Ziel kann in einer Fortschreibung nur einmal bewertet werden.");
        }

        var cleaned = new List<GoalReview>();
        foreach (var goal in goals)
        {
            if (!state.Goals.TryGetValue(goal.GoalId, out var current) || Goals.IsFinal(current))
            {
                throw new CaseRuleException("Bewertet werden können nur offene Ziele dieses Integrationsplans.");
            }

            cleaned.Add(goal.Outcome switch
            {
                ReviewOutcome.Continue => goal with { NewText = null, NewTargetDate = null, ClosedAs = null, Reason = null },
                ReviewOutcome.Change => Change(goal, date),
                ReviewOutcome.Close => Close(goal, current),
                _ => throw new CaseRuleException("Bitte für jedes Ziel weiterverfolgen, anpassen oder abschließen wählen."),
            });
        }

        return [new PlanReviewed(state.Id, reviewId, date, text, cleaned, nextReview, actor, now)];
    }

    private static GoalReview Change(GoalReview goal, LocalDate date)
    {
        var newText = string.IsNullOrWhiteSpace(goal.NewText) ? null : goal.NewText.Trim();
        if (newText is null && goal.NewTargetDate is null)
        {
            throw new CaseRuleException("Beim Anpassen bitte einen neuen Text oder einen neuen Zieltermin angeben.");
        }

        if (newText is { Length: > Goals.MaxTextLength })
        {
            throw new CaseRuleException(Messages.Goals.TextTooLong(Goals.MaxTextLength));
        }

        if (goal.NewTargetDate is { } target && target < date)
        {
            throw new CaseRuleException("Der neue Zieltermin darf nicht vor der Fortschreibung liegen.");
        }

        return goal with { NewText = newText, ClosedAs = null, Reason = null };
    }

    private static GoalReview Close(GoalReview goal, GoalStatus current)
    {
        if (goal.ClosedAs is not { } closedAs || !Goals.IsFinal(closedAs))
        {
            throw new CaseRuleException("Beim Abschließen bitte erreicht, teilweise erreicht, nicht erreicht oder aufgegeben wählen.");
        }

        if (current == GoalStatus.Agreed && closedAs != GoalStatus.Dropped)
        {
            throw new CaseRuleException("Ein Ziel, an dem noch nicht gearbeitet wurde, kann nur aufgegeben werden.");
        }

        if (closedAs == GoalStatus.Dropped && string.IsNullOrWhiteSpace(goal.Reason))
        {
            throw new CaseRuleException(Messages.Goals.DropReasonRequired);
        }

        return goal with { NewText = null, NewTargetDate = null, Reason = string.IsNullOrWhiteSpace(goal.Reason) ? null : goal.Reason.Trim() };
    }
}

public sealed record ReviewPlan(Guid CaseId, long ExpectedVersion, LocalDate? Date, string? Summary, IReadOnlyList<GoalReview>? Goals, LocalDate? NextReview)
    : ICommand<Outcome<CaseChanged>>;

public sealed class ReviewPlanHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<ReviewPlan, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(ReviewPlan command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new List<InputError>();
        var today = clock.Today();
        if (command.Date is not { } date)
        {
            errors.Add(new InputError(nameof(ReviewPlan.Date), "Bitte das Datum der Fortschreibung angeben."));
        }
        else if (date < DateRange.Recorded(today).From)
        {
            errors.Add(new InputError(nameof(ReviewPlan.Date), $"Das Datum der Fortschreibung muss zwischen {Time.Format(DateRange.Recorded(today).From)} und heute liegen."));
        }

        if (command.NextReview is { } next && !DateRange.Plan(today).Contains(next))
        {
            errors.Add(new InputError(nameof(ReviewPlan.NextReview), PlanGoalHandlers.PlanDateMessage("Die nächste Fortschreibung", today)));
        }

        if (command.Goals?.Any(g => g?.NewTargetDate is { } target && !DateRange.Plan(today).Contains(target)) == true)
        {
            errors.Add(new InputError(nameof(ReviewPlan.Goals), PlanGoalHandlers.PlanDateMessage("Ein neuer Zieltermin", today)));
        }

        if (string.IsNullOrWhiteSpace(command.Summary))
        {
            errors.Add(new InputError(nameof(ReviewPlan.Summary), "Bitte die Fortschreibung zusammenfassen."));
        }

        var checks = new Checks();
        checks.Text(command.Summary, Reviews.MaxSummaryLength, nameof(ReviewPlan.Summary), "die Zusammenfassung");
        checks.Count(command.Goals, Reviews.MaxGoals, nameof(ReviewPlan.Goals), "Ziele je Fortschreibung");
        if (command.Goals?.Any(g => g?.NewText?.Trim().Length > Goals.MaxTextLength) == true)
        {
            checks.Add(nameof(ReviewPlan.Goals), $"Ein angepasstes Ziel darf höchstens {Goals.MaxTextLength} Zeichen lang sein.");
        }

        if (command.Goals?.Any(g => g?.Reason?.Trim().Length > Goals.MaxReasonLength) == true)
        {
            checks.Add(nameof(ReviewPlan.Goals), $"Der Grund für ein aufgegebenes Ziel darf höchstens {Goals.MaxReasonLength} Zeichen lang sein.");
        }

        errors.AddRange(checks.Errors);

        if (errors.Count > 0)
        {
            return Outcome<CaseChanged>.Failure(errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => Reviews.Review(state, Guid.CreateVersion7(), command.Date!.Value, command.Summary!, command.Goals ?? [], command.NextReview,
                today, user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
    }
}
