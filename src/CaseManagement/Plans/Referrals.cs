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
    Guid ReferredBy, Instant ReferredAt, Guid? OfferId = null) : ICaseEvent
{
    Guid ICaseEvent.Actor => ReferredBy;

    Instant ICaseEvent.At => ReferredAt;
}

public sealed record ReferralView(Guid Id, Guid? GoalId, RegularService Service, string? ServiceName, LocalDate Date, string? Note)
{
    /// <summary>The offer of the organisation's directory (Angebote vor Ort) the client was referred to, if one was chosen.</summary>
    public Guid? OfferId { get; init; }

    public string Label => Referrals.ServiceLabel(Service) + (ServiceName is null ? "" : $" ({ServiceName})");
}

public static class Referrals
{
    public static string ServiceLabel(RegularService service) => Labels.Of(service);
}

/// <summary>
/// A referral; with <paramref name="OfferId"/> (an offer of the organisation's directory) the service and the name of the
/// place may be left out: they are taken from the offer.
/// </summary>
public sealed record MakeReferral(
    Guid CaseId, long ExpectedVersion, RegularService? Service, string? ServiceName, LocalDate? Date, Guid? GoalId, string? Note, Guid? OfferId = null)
    : ICommand<Outcome<CaseChanged>>;

public sealed class MakeReferralHandler(CaseGate gate, ICurrentUser user, IClock clock, AppDbContext db)
    : ICommandHandler<MakeReferral, Outcome<CaseChanged>>
{
    public const string UnknownOffer = "Dieses Angebot gibt es im Verzeichnis der Organisation nicht (mehr). Bitte ein anderes wählen.";

    public async ValueTask<Outcome<CaseChanged>> Handle(MakeReferral command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        var offer = command.OfferId is { } offerId
            ? await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
                db.Set<LocalOffers.LocalOffer>().Where(o => o.Id == offerId && o.OrganisationId == user.OrganisationId), cancellationToken)
            : null;
        if (command.OfferId is not null && offer is null)
        {
            checks.Add(nameof(MakeReferral.OfferId), UnknownOffer);
        }

        var service = command.Service ?? (offer is null ? null : LocalOffers.LocalOfferDirectory.Service(offer.Category));
        var serviceName = Checks.Trimmed(command.ServiceName) ?? offer?.Name;
        checks.Defined(service, nameof(MakeReferral.Service), "Bitte den Dienst wählen, an den vermittelt wird.");
        checks.Text(command.ServiceName, 200, nameof(MakeReferral.ServiceName), "den Namen der Stelle", required: service == RegularService.Other && offer is null);
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
                    new ReferralMade(state.Id, Guid.CreateVersion7(), command.GoalId, service!.Value, serviceName is { Length: > 200 } ? serviceName[..200] : serviceName,
                        command.Date!.Value, Checks.Trimmed(command.Note), user.UserId, clock.GetCurrentInstant(), offer?.Id),
                ];
            },
            cancellationToken);
    }
}
