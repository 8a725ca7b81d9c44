using Marten;

namespace CaseManagement.Plans;

/// <summary>The client signed the printed Integrationsplan on this day.</summary>
public sealed record PlanSigned(Guid CaseId, LocalDate SignedOn, Guid RecordedBy, Instant RecordedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => RecordedBy;

    Instant ICaseEvent.At => RecordedAt;
}

public sealed record RecordPlanSignature(Guid CaseId, long ExpectedVersion, LocalDate? SignedOn) : ICommand<Outcome<CaseChanged>>;

public sealed class RecordPlanSignatureHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<RecordPlanSignature, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(RecordPlanSignature command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (PlanSignatureRules.Check(command.SignedOn, clock.Today(), nameof(RecordPlanSignature.SignedOn)) is { } error)
        {
            return Outcome<CaseChanged>.Failure(error);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => [PlanSignatureRules.Sign(state, command.SignedOn!.Value, user.UserId, clock.GetCurrentInstant())], cancellationToken);
    }
}

/// <summary>
/// The rules of the plan's signature, shared by its own form and by the upload of the signed plan (Documents): the
/// day lies in the last 20 years up to today, and a plan is signed with at least one agreed goal.
/// </summary>
public static class PlanSignatureRules
{
    /// <summary>The input check of the signature day (null: fine), reported on <paramref name="field"/>.</summary>
    public static InputError? Check(LocalDate? signedOn, LocalDate today, string field)
    {
        if (signedOn is not { } day)
        {
            return new InputError(field, "Bitte das Datum der Unterschrift angeben.");
        }

        if (day > today)
        {
            return new InputError(field, "Das Datum der Unterschrift darf nicht in der Zukunft liegen.");
        }

        return day < DateRange.Recorded(today).From
            ? new InputError(field, $"Das Datum der Unterschrift muss zwischen {Time.Format(DateRange.Recorded(today).From)} und heute liegen.")
            : null;
    }

    /// <summary>The pure decision: the plan signed on <paramref name="signedOn"/> (refused without an agreed goal).</summary>
    public static PlanSigned Sign(ClientCase state, LocalDate signedOn, Guid by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Goals.Count == 0)
        {
            throw new CaseRuleException("Unterschrieben wird der Plan mit mindestens einem vereinbarten Ziel.");
        }

        return new PlanSigned(state.Id, signedOn, by, at);
    }
}
