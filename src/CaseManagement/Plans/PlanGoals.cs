using Marten;

namespace CaseManagement.Plans;

/// <summary>A goal agreed with the client in a field of action; the caller chooses the new goal's id.</summary>
public sealed record AgreeGoal(
    Guid CaseId, long ExpectedVersion, Guid GoalId, FieldOfAction? Field, string? Text, LocalDate? AgreedOn, LocalDate? TargetDate, LocalDate? NextReview,
    string? ClientSummary = null)
    : ICommand<Outcome<CaseChanged>>
{
    /// <summary>Taken over by an import (<see cref="GateAccess.Importer"/>: the importing administrator or team lead).</summary>
    public bool Imported { get; init; }
}

/// <summary>Moves a goal along agreed → in progress → achieved / partly / not achieved, or drops it with a reason.</summary>
public sealed record ChangeGoalStatus(Guid CaseId, long ExpectedVersion, Guid GoalId, GoalStatus? Status, string? Reason) : ICommand<Outcome<CaseChanged>>
{
    /// <summary>Taken over by an import (<see cref="GateAccess.Importer"/>).</summary>
    public bool Imported { get; init; }
}

public sealed class PlanGoalHandlers(CaseGate gate, ICurrentUser user, IClock clock) :
    ICommandHandler<AgreeGoal, Outcome<CaseChanged>>,
    ICommandHandler<ChangeGoalStatus, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(AgreeGoal command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var today = clock.Today();
        var errors = AgreeGoalInput.Validate(command.Field, command.Text, command.AgreedOn, command.TargetDate, command.NextReview, today);
        if (command.ClientSummary?.Trim().Length > Goals.MaxClientSummaryLength)
        {
            errors.Add(new InputError(nameof(AgreeGoal.ClientSummary), $"Bitte die Zusammenfassung in der Sprache der Klientin / des Klienten mit höchstens {Goals.MaxClientSummaryLength} Zeichen angeben."));
        }

        if (errors.Count > 0)
        {
            return Outcome<CaseChanged>.Failure(errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => Goals.Agree(state, command.GoalId, command.Field!.Value, command.Text!, command.AgreedOn!.Value, command.TargetDate!.Value,
                command.NextReview, today, user.UserId, clock.GetCurrentInstant(), command.ClientSummary),
            cancellationToken, command.Imported ? GateAccess.Importer : GateAccess.CaseWorker);
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
            cancellationToken, command.Imported ? GateAccess.Importer : GateAccess.CaseWorker);
    }
}

/// <summary>The input check of a goal (the plan's form, the API and the import share it; German messages per field).</summary>
public static class AgreeGoalInput
{
    public static List<InputError> Validate(FieldOfAction? field, string? text, LocalDate? agreedOn, LocalDate? targetDate, LocalDate? nextReview, LocalDate today)
    {
        var errors = new List<InputError>();
        if (field is not { } chosen || !Enum.IsDefined(chosen))
        {
            errors.Add(new InputError(nameof(AgreeGoal.Field), "Bitte das Handlungsfeld wählen."));
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new InputError(nameof(AgreeGoal.Text), Messages.Goals.TextRequired));
        }
        else if (text.Trim().Length > Goals.MaxTextLength)
        {
            errors.Add(new InputError(nameof(AgreeGoal.Text), Messages.Goals.TextTooLong(Goals.MaxTextLength)));
        }

        if (agreedOn is not { } agreedDate)
        {
            errors.Add(new InputError(nameof(AgreeGoal.AgreedOn), "Bitte angeben, wann das Ziel vereinbart wurde."));
        }
        else if (agreedDate > today)
        {
            errors.Add(new InputError(nameof(AgreeGoal.AgreedOn), Messages.Goals.AgreedInFuture));
        }
        else if (!DateRange.Recorded(today).Contains(agreedDate))
        {
            errors.Add(new InputError(nameof(AgreeGoal.AgreedOn), $"Der Tag der Vereinbarung muss zwischen {Time.Format(DateRange.Recorded(today).From)} und heute liegen."));
        }

        if (targetDate is not { } target)
        {
            errors.Add(new InputError(nameof(AgreeGoal.TargetDate), "Bitte einen Zieltermin angeben."));
        }
        else if (agreedOn is { } agreed && target < agreed)
        {
            errors.Add(new InputError(nameof(AgreeGoal.TargetDate), Messages.Goals.TargetBeforeAgreed));
        }
        else if (!DateRange.Plan(today).Contains(target))
        {
            errors.Add(new InputError(nameof(AgreeGoal.TargetDate), PlanGoalHandlers.PlanDateMessage("Der Zieltermin", today)));
        }

        if (nextReview is { } review && agreedOn is { } agreedDay && review < agreedDay)
        {
            errors.Add(new InputError(nameof(AgreeGoal.NextReview), Messages.Goals.ReviewBeforeAgreed));
        }
        else if (nextReview is { } next && !DateRange.Plan(today).Contains(next))
        {
            errors.Add(new InputError(nameof(AgreeGoal.NextReview), PlanGoalHandlers.PlanDateMessage("Die nächste Überprüfung", today)));
        }

        return errors;
    }
}
