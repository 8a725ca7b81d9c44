using Marten;

namespace CaseManagement.Plans;

/// <summary>The regular services (Regeldienste) a client is referred to.</summary>
public enum RegularService
{
    Jobcenter,
    EmploymentAgency,
    IntegrationCourse,
    RecognitionCounselling,
    MigrationCounselling,
    YouthMigrationService,
    School,
    DayCare,
    HousingOffice,
    ImmigrationOffice,
    HealthService,
    Other,
}

/// <summary>Vermittlung an einen Regeldienst, optionally towards a goal of the plan.</summary>
public sealed record ReferralMade(
    Guid CaseId, Guid ReferralId, Guid? GoalId, RegularService Service, string? ServiceName, LocalDate Date, string? Note,
    Guid ReferredBy, Instant ReferredAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ReferredBy;

    Instant ICaseEvent.At => ReferredAt;
}

public sealed record ReferralView(Guid Id, Guid? GoalId, RegularService Service, string? ServiceName, LocalDate Date, string? Note)
{
    public string Label => Referrals.ServiceLabel(Service) + (ServiceName is null ? "" : $" ({ServiceName})");
}

public static class Referrals
{
    public static string ServiceLabel(RegularService service) => Labels.Of(service);
}

public sealed record MakeReferral(
    Guid CaseId, long ExpectedVersion, RegularService? Service, string? ServiceName, LocalDate? Date, Guid? GoalId, string? Note)
    : ICommand<Outcome<CaseChanged>>;

public sealed class MakeReferralHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<MakeReferral, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(MakeReferral command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        checks.Defined(command.Service, nameof(MakeReferral.Service), "Bitte den Dienst wählen, an den vermittelt wird.");
        checks.Text(command.ServiceName, 200, nameof(MakeReferral.ServiceName), "den Namen der Stelle", required: command.Service == RegularService.Other);
        checks.PastDate(command.Date, clock.Today(), OpenCaseHandler.ProgrammeStart, nameof(MakeReferral.Date), "das Datum der Vermittlung");
        checks.Text(command.Note, 1000, nameof(MakeReferral.Note), "die Notiz");
        return await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
            {
                if (command.GoalId is { } goal && !state.Goals.ContainsKey(goal))
                {
                    throw new CaseRuleException("Das gewählte Ziel gehört nicht zu diesem Integrationsplan.");
                }

                return
                [
                    new ReferralMade(state.Id, Guid.CreateVersion7(), command.GoalId, command.Service!.Value, Checks.Trimmed(command.ServiceName),
                        command.Date!.Value, Checks.Trimmed(command.Note), user.UserId, clock.GetCurrentInstant()),
                ];
            },
            cancellationToken);
    }
}
