using Marten;

namespace CaseManagement.Plans;

/// <summary>A goal agreed with the client in a field of action; the caller chooses the new goal's id.</summary>
public sealed record AgreeGoal(
    Guid CaseId, long ExpectedVersion, Guid GoalId, FieldOfAction? Field, string? Text, LocalDate? AgreedOn, LocalDate? TargetDate, LocalDate? NextReview)
    : ICommand<Outcome<CaseChanged>>;

/// <summary>Moves a goal along agreed → in progress → achieved / partly / not achieved, or drops it with a reason.</summary>
public sealed record ChangeGoalStatus(Guid CaseId, long ExpectedVersion, Guid GoalId, GoalStatus? Status, string? Reason) : ICommand<Outcome<CaseChanged>>;

public sealed class PlanGoalHandlers(CaseGate gate, ICurrentUser user, IClock clock) :
    ICommandHandler<AgreeGoal, Outcome<CaseChanged>>,
    ICommandHandler<ChangeGoalStatus, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(AgreeGoal command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var today = clock.Today();
        var errors = new List<InputError>();
        if (command.Field is not { } field || !Enum.IsDefined(field))
        {
            errors.Add(new InputError(nameof(AgreeGoal.Field), "Bitte das Handlungsfeld wählen."));
        }

        if (string.IsNullOrWhiteSpace(command.Text))
        {
            errors.Add(new InputError(nameof(AgreeGoal.Text), Messages.Goals.TextRequired));
        }
        else if (command.Text.Trim().Length > Goals.MaxTextLength)
        {
            errors.Add(new InputError(nameof(AgreeGoal.Text), Messages.Goals.TextTooLong(Goals.MaxTextLength)));
        }

        if (command.AgreedOn is not { } agreedOn)
        {
            errors.Add(new InputError(nameof(AgreeGoal.AgreedOn), "Bitte angeben, wann das Ziel vereinbart wurde."));
        }
        else if (agreedOn > today)
        {
            errors.Add(new InputError(nameof(AgreeGoal.AgreedOn), Messages.Goals.AgreedInFuture));
        }
        else if (!DateRange.Recorded(today).Contains(agreedOn))
        {
            errors.Add(new InputError(nameof(AgreeGoal.AgreedOn), $"Der Tag der Vereinbarung muss zwischen {Time.Format(DateRange.Recorded(today).From)} und heute liegen."));
        }

        if (command.TargetDate is not { } target)
        {
            errors.Add(new InputError(nameof(AgreeGoal.TargetDate), "Bitte einen Zieltermin angeben."));
        }
        else if (command.AgreedOn is { } agreed && target < agreed)
        {
            errors.Add(new InputError(nameof(AgreeGoal.TargetDate), Messages.Goals.TargetBeforeAgreed));
        }
        else if (!DateRange.Plan(today).Contains(target))
        {
            errors.Add(new InputError(nameof(AgreeGoal.TargetDate), PlanDateMessage("Der Zieltermin", today)));
        }

        if (command.NextReview is { } review && command.AgreedOn is { } agreedDay && review < agreedDay)
        {
            errors.Add(new InputError(nameof(AgreeGoal.NextReview), Messages.Goals.ReviewBeforeAgreed));
        }
        else if (command.NextReview is { } next && !DateRange.Plan(today).Contains(next))
        {
            errors.Add(new InputError(nameof(AgreeGoal.NextReview), PlanDateMessage("Die nächste Überprüfung", today)));
        }

        if (errors.Count > 0)
        {
            return Outcome<CaseChanged>.Failure(errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => Goals.Agree(state, command.GoalId, command.Field!.Value, command.Text!, command.AgreedOn!.Value, command.TargetDate!.Value,
                command.NextReview, today, user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
    }

    /// <summary>"… muss zwischen … und … liegen." for a plan date (20 years back to 20 years ahead).</summary>
    internal static string PlanDateMessage(string what, LocalDate today)
    {
        var range = DateRange.Plan(today);
        return $"{what} muss zwischen {Time.Format(range.From)} und {Time.Format(range.To)} liegen.";
    }

    public async ValueTask<Outcome<CaseChanged>> Handle(ChangeGoalStatus command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Status is not { } status || !Enum.IsDefined(status))
        {
            return Outcome<CaseChanged>.Fail(nameof(ChangeGoalStatus.Status), "Bitte den neuen Stand des Ziels wählen.");
        }

        var checks = new Checks();
        checks.Text(command.Reason, Goals.MaxReasonLength, nameof(ChangeGoalStatus.Reason), "den Grund");
        if (checks.Failed)
        {
            return Outcome<CaseChanged>.Failure(checks.Errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => Goals.ChangeStatus(state, command.GoalId, status, command.Reason, user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
    }
}
