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
        var today = clock.Today();
        if (command.SignedOn is not { } signedOn)
        {
            return Outcome<CaseChanged>.Fail(nameof(RecordPlanSignature.SignedOn), "Bitte das Datum der Unterschrift angeben.");
        }

        if (signedOn > today)
        {
            return Outcome<CaseChanged>.Fail(nameof(RecordPlanSignature.SignedOn), "Das Datum der Unterschrift darf nicht in der Zukunft liegen.");
        }

        if (signedOn < DateRange.Recorded(today).From)
        {
            return Outcome<CaseChanged>.Fail(nameof(RecordPlanSignature.SignedOn), $"Das Datum der Unterschrift muss zwischen {Time.Format(DateRange.Recorded(today).From)} und heute liegen.");
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
            {
                if (state.Goals.Count == 0)
                {
                    throw new CaseRuleException("Unterschrieben wird der Plan mit mindestens einem vereinbarten Ziel.");
                }

                return [new PlanSigned(state.Id, signedOn, user.UserId, clock.GetCurrentInstant())];
            },
            cancellationToken);
    }
}
