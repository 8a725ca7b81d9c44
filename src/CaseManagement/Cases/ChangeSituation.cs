using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using Marten;
using Mediator;
using NodaTime;

namespace CaseManagement.Cases;

/// <summary>The client moved (or the housing was recorded wrongly): new housing since a date; eligibility is re-checked.</summary>
public sealed record ChangeHousing(Guid CaseId, long ExpectedVersion, HousingType? Type, LocalDate? Since) : ICommand<Outcome<CaseChanged>>;

public sealed class ChangeHousingHandler(CaseGate gate, ICurrentUser user, IClock clock, EligibilityRules rules)
    : ICommandHandler<ChangeHousing, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(ChangeHousing command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var today = clock.Today();
        var errors = new List<InputError>();
        if (command.Type is not { } type || !Enum.IsDefined(type))
        {
            errors.Add(new InputError(nameof(ChangeHousing.Type), Messages.Situation.HousingTypeRequired));
        }

        if (command.Since is not { } since)
        {
            errors.Add(new InputError(nameof(ChangeHousing.Since), Messages.Situation.HousingSinceRequired));
        }
        else if (since > today)
        {
            errors.Add(new InputError(nameof(ChangeHousing.Since), "Das Einzugsdatum darf nicht in der Zukunft liegen."));
        }
        else if (since < InputLimits.EarliestDate)
        {
            errors.Add(new InputError(nameof(ChangeHousing.Since), "Das Einzugsdatum muss zwischen 01.01.1900 und heute liegen."));
        }

        if (errors.Count > 0)
        {
            return Outcome<CaseChanged>.Failure(errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => ClientCaseDecisions.ChangeHousing(state, new Housing(command.Type!.Value, command.Since!.Value), rules, today, user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
    }
}

/// <summary>A new residence status or document; eligibility is re-checked.</summary>
public sealed record ChangeResidenceStatus(Guid CaseId, long ExpectedVersion, ResidenceKind? Kind, LocalDate? ValidUntil) : ICommand<Outcome<CaseChanged>>;

public sealed class ChangeResidenceStatusHandler(CaseGate gate, ICurrentUser user, IClock clock, EligibilityRules rules)
    : ICommandHandler<ChangeResidenceStatus, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(ChangeResidenceStatus command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            return Outcome<CaseChanged>.Fail(nameof(ChangeResidenceStatus.Kind), Messages.Situation.ResidenceKindRequired);
        }

        if (command.ValidUntil is { } validUntil && !DateRange.Validity.Contains(validUntil))
        {
            return Outcome<CaseChanged>.Fail(nameof(ChangeResidenceStatus.ValidUntil), IntakeInput.ValidUntilOutOfRange);
        }

        var today = clock.Today();
        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => ClientCaseDecisions.ChangeResidenceStatus(state, new ResidenceStatus(kind, command.ValidUntil), rules, today, user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
    }
}
