using CaseManagement.DataProtection;
using NodaTime;
using Riok.Mapperly.Abstractions;

namespace CaseManagement.Web.Features.Clients;

public sealed record EligibilityResponse(EligibilityVerdict Verdict, IReadOnlyList<string> Reasons);

public sealed record SupportPeriodResponse(LocalDate Start, LocalDate End, bool ExtensionPending);

/// <summary>One case in the API (fixed contract: id, caseNumber, version, firstName, lastName, eligibility, goals; extend, do not rename).</summary>
public sealed record ClientResponse
{
    public Guid Id { get; init; }

    public string CaseNumber { get; init; } = "";

    public long Version { get; init; }

    public string FirstName { get; init; } = "";

    public string LastName { get; init; } = "";

    public LocalDate BirthDate { get; init; }

    public Gender Gender { get; init; }

    public string? Nationality { get; init; }

    public IReadOnlyList<string> Languages { get; init; } = [];

    public string? InterpreterLanguage { get; init; }

    public LocalDate? ArrivedOn { get; init; }

    public CaseStatus Status { get; init; }

    public HousingType Housing { get; init; }

    public LocalDate HousingSince { get; init; }

    public ResidenceKind Residence { get; init; }

    public LocalDate? ResidenceValidUntil { get; init; }

    public EligibilityResponse Eligibility { get; init; } = new(EligibilityVerdict.NotEligible, []);

    public bool IndividualDecisionPending { get; init; }

    /// <summary>The lead approved the individual decision for the current facts (the client counts as target group).</summary>
    public bool IndividualDecisionApproved { get; init; }

    /// <summary>Requests waiting for the team lead (id = approval id).</summary>
    public IReadOnlyList<ApprovalRequestView> PendingRequests { get; init; } = [];

    /// <summary>A transfer to another team waiting for that team's lead (null: none).</summary>
    public TransferView? PendingTransfer { get; init; }

    /// <summary>The lead's latest decision per kind, with comment.</summary>
    public IReadOnlyList<ApprovalDecisionView> Decisions { get; init; } = [];

    public SupportPeriodResponse SupportPeriod { get; init; } = new(default, default, false);

    public ContactDetails Contact { get; init; } = ContactDetails.None;

    public Consent? Consent { get; init; }

    public IReadOnlyList<HouseholdMemberView> Household { get; init; } = [];

    public ClientProfile Profile { get; init; } = ClientProfile.Empty;

    public IReadOnlyList<LanguageLevelView> LanguageLevels { get; init; } = [];

    public IReadOnlyList<DevelopmentView> Developments { get; init; } = [];

    public IReadOnlyList<GoalView> Goals { get; init; } = [];

    public IReadOnlyList<ReferralView> Referrals { get; init; } = [];

    public IReadOnlyList<ConsultationView> Consultations { get; init; } = [];

    public LocalDate? LastContact { get; init; }

    public LocalDate? PlanSignedOn { get; init; }

    public LocalDate? LastReviewOn { get; init; }

    public LocalDate? NextReviewOn { get; init; }

    /// <summary>Processing restricted by the data-protection officer (DSGVO Art. 18); null when not.</summary>
    public RestrictionView? Restriction { get; init; }

    /// <summary>Scopes the client withdrew consent for since the consent recorded last; null when none.</summary>
    public ConsentWithdrawalView? ConsentWithdrawal { get; init; }

    /// <summary>Why the case takes no changes now (German); null when it does.</summary>
    public string? ReadOnlyReason { get; init; }
}

/// <summary>
/// Case read model to API model, generated at compile time by Mapperly (read models to view models only):
/// a member of <see cref="ClientResponse"/> that nothing maps to is a build error (RMG012, .editorconfig).
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class ClientResponseMapper
{
    [MapPropertyFromSource(nameof(ClientResponse.Eligibility), Use = nameof(Eligibility))]
    [MapPropertyFromSource(nameof(ClientResponse.SupportPeriod), Use = nameof(SupportPeriod))]
    [MapPropertyFromSource(nameof(ClientResponse.ReadOnlyReason), Use = nameof(ReadOnlyReason))]
    public static partial ClientResponse ToResponse(CaseSummary summary);

    [UserMapping(Default = false)]
    private static EligibilityResponse Eligibility(CaseSummary c) => new(c.Verdict, c.EligibilityReasons);

    [UserMapping(Default = false)]
    private static SupportPeriodResponse SupportPeriod(CaseSummary c) => new(c.SupportStart, c.SupportEnd, c.ExtensionPending);

    [UserMapping(Default = false)]
    private static string? ReadOnlyReason(CaseSummary c) => CaseManagement.Cases.ProcessingRules.ReadOnlyReason(c);
}
