using JasperFx.Events;
using Marten.Events.Aggregation;

namespace CaseManagement.Cases;

/// <summary>
/// One client case as lists and the case header show it (caseload, duplicate check, eligibility banner).
/// Updated inline in the same transaction as the events, so it is never behind the case.
/// </summary>
public sealed record CaseSummary
{
    public Guid Id { get; init; }

    public string CaseNumber { get; init; } = "";

    public string FirstName { get; init; } = "";

    public string LastName { get; init; } = "";

    public LocalDate BirthDate { get; init; }

    public string? Nationality { get; init; }

    public Guid ManagerId { get; init; }

    public CaseStatus Status { get; init; }

    public EligibilityVerdict Verdict { get; init; }

    public IReadOnlyList<string> EligibilityReasons { get; init; } = [];

    public bool IndividualDecisionPending { get; init; }

    public bool ExtensionPending { get; init; }

    public HousingType Housing { get; init; }

    public ResidenceKind Residence { get; init; }

    public LocalDate? ResidenceValidUntil { get; init; }

    /// <summary>Local day of the last residence status change (eligibility is then to be re-checked).</summary>
    public LocalDate? ResidenceChangedOn { get; init; }

    public LocalDate SupportStart { get; init; }

    public LocalDate SupportEnd { get; init; }

    /// <summary>Day the case was closed (null while open or after reopening).</summary>
    public LocalDate? ClosedOn { get; init; }

    public ClosingReason? ClosingReason { get; init; }

    public Instant OpenedAt { get; init; }

    public Instant LastChangedAt { get; init; }

    public IReadOnlyList<GoalView> Goals { get; init; } = [];

    public IReadOnlyList<ConsultationView> Consultations { get; init; } = [];

    /// <summary>The days of the consultations: what the Team dashboard counts, also in the light shape (<see cref="CaseCards"/>).</summary>
    public IReadOnlyList<LocalDate> ConsultationDates { get; init; } = [];

    /// <summary>The documents attached and not deleted, in the order of their upload.</summary>
    public IReadOnlyList<DocumentView> Documents { get; init; } = [];

    public LocalDate? LastReviewOn { get; init; }

    public LocalDate? NextReviewOn { get; init; }

    public int ReviewCount { get; init; }

    /// <summary>Day the client last signed the printed plan.</summary>
    public LocalDate? PlanSignedOn { get; init; }

    /// <summary>Date of the latest consultation (for "no contact for 6 weeks").</summary>
    public LocalDate? LastContact { get; init; }

    public Gender Gender { get; init; }

    public IReadOnlyList<string> Languages { get; init; } = [];

    public string? InterpreterLanguage { get; init; }

    public LocalDate? ArrivedOn { get; init; }

    public LocalDate HousingSince { get; init; }

    public ContactDetails Contact { get; init; } = ContactDetails.None;

    /// <summary>The consent recorded last (null: none recorded yet).</summary>
    public Consent? Consent { get; init; }

    public IReadOnlyList<HouseholdMemberView> Household { get; init; } = [];

    public ClientProfile Profile { get; init; } = ClientProfile.Empty;

    /// <summary>The latest assessment per language.</summary>
    public IReadOnlyList<LanguageLevelView> LanguageLevels { get; init; } = [];

    public IReadOnlyList<DevelopmentView> Developments { get; init; } = [];

    public IReadOnlyList<ReferralView> Referrals { get; init; } = [];

    /// <summary>Requests waiting for the team lead.</summary>
    public IReadOnlyList<ApprovalRequestView> PendingRequests { get; init; } = [];

    /// <summary>The lead's latest decision per kind.</summary>
    public IReadOnlyList<ApprovalDecisionView> Decisions { get; init; } = [];

    /// <summary>A transfer to another team waiting for that team's lead.</summary>
    public TransferView? PendingTransfer { get; init; }

    /// <summary>Eligible by the lead's approved individual decision (for the current facts).</summary>
    public bool IndividualDecisionApproved { get; init; }

    /// <summary>
    /// The person belongs to the programme's target group: the check says eligible, or the lead approved an
    /// individual decision (docs/domain.md, "The target group"). Only they count as "Beratene Personen".
    /// </summary>
    public bool InTargetGroup => Verdict == EligibilityVerdict.Eligible || (Verdict == EligibilityVerdict.NeedsIndividualDecision && IndividualDecisionApproved);

    /// <summary>Processing restricted by the data-protection officer (DSGVO Art. 18); null when not.</summary>
    public RestrictionView? Restriction { get; init; }

    /// <summary>Scopes withdrawn since the consent recorded last, with the day of the (latest) withdrawal.</summary>
    public ConsentWithdrawalView? ConsentWithdrawal { get; init; }

    /// <summary>The client withdrew consent to the counselling itself: the case is read-only.</summary>
    public bool CounsellingConsentWithdrawn => ConsentWithdrawal?.Scopes.Contains(ConsentScope.Counselling) == true;

    /// <summary>Only in the pseudonymous record of an erased case (funding report): the day of the erasure.</summary>
    public LocalDate? ErasedOn { get; init; }

    /// <summary>The search of the case lists and the subject search: part of the first name, last name or case number, in any case.</summary>
    public bool MatchesSearch(string search) =>
        LastName.Contains(search, StringComparison.OrdinalIgnoreCase)
        || FirstName.Contains(search, StringComparison.OrdinalIgnoreCase)
        || CaseNumber.Contains(search, StringComparison.OrdinalIgnoreCase);

    /// <summary>Stream version this summary reflects (set by Marten).</summary>
    public long Version { get; set; }
}

/// <summary>A restriction of processing as the case shows it.</summary>
public sealed record RestrictionView(string Reason, Guid RestrictedBy, Instant RestrictedAt);

/// <summary>What the client withdrew consent for, and when (latest withdrawal).</summary>
public sealed record ConsentWithdrawalView(LocalDate WithdrawnOn, IReadOnlyList<ConsentScope> Scopes);

/// <summary>A goal of the plan as the case page and the API show it.</summary>
public sealed record GoalView(
    Guid Id, FieldOfAction Field, string Text, LocalDate AgreedOn, LocalDate TargetDate, LocalDate? NextReview, GoalStatus Status, string? StatusReason)
{
    /// <summary>Day the goal reached its final status (achieved, partly, not achieved, dropped).</summary>
    public LocalDate? FinishedOn { get; init; }

    public IReadOnlyList<StepView> Steps { get; init; } = [];

    /// <summary>A short summary of the goal in the client's language, printed beside the German goal text (optional).</summary>
    public string? ClientSummary { get; init; }
}

/// <summary>A consultation as the case page and the API show it.</summary>
public sealed record ConsultationView(
    Guid Id, LocalDate Date, int DurationMinutes, ConsultationMode Mode, IReadOnlyList<FieldOfAction> Fields, string? InterpreterLanguage, string? Note);

public sealed class CaseSummaryProjection : SingleStreamProjection<CaseSummary, Guid>
{
    public static CaseSummary Create(IEvent<CaseOpened> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var opened = e.Data;
        return new CaseSummary
        {
            Id = opened.CaseId,
            CaseNumber = opened.CaseNumber,
            FirstName = opened.Person.FirstName,
            LastName = opened.Person.LastName,
            BirthDate = opened.Person.BirthDate,
            Nationality = opened.Person.Nationality,
            ManagerId = opened.ManagerId,
            Status = CaseStatus.Open,
            Gender = opened.Person.Gender,
            Languages = opened.Person.Languages,
            InterpreterLanguage = opened.Person.InterpreterLanguage,
            ArrivedOn = opened.Person.ArrivedOn,
            Housing = opened.Housing.Type,
            HousingSince = opened.Housing.Since,
            Residence = opened.Residence.Kind,
            ResidenceValidUntil = opened.Residence.ValidUntil,
            SupportStart = opened.SupportStart,
            SupportEnd = opened.SupportStart.PlusClamped(Period.FromYears(ClientCase.SupportYears)).PlusClamped(Period.FromDays(-1)),
            OpenedAt = opened.OpenedAt,
            LastChangedAt = opened.OpenedAt,
        };
    }

    public static CaseSummary Apply(HousingChanged e, CaseSummary current) =>
        current with { Housing = e.Housing.Type, HousingSince = e.Housing.Since, LastChangedAt = e.ChangedAt };

    public static CaseSummary Apply(ResidenceStatusChanged e, CaseSummary current) =>
        current with
        {
            Residence = e.Residence.Kind, ResidenceValidUntil = e.Residence.ValidUntil, ResidenceChangedOn = e.ChangedAt.InZone(Common.Time.Berlin).Date,
            LastChangedAt = e.ChangedAt,
        };

    public static CaseSummary Apply(EligibilityEvaluated e, CaseSummary current) => current with
    {
        Verdict = e.Verdict,
        EligibilityReasons = e.Reasons,
        IndividualDecisionPending = current.IndividualDecisionPending && e.Verdict == EligibilityVerdict.NeedsIndividualDecision,
        PendingRequests = e.Verdict == EligibilityVerdict.NeedsIndividualDecision
            ? current.PendingRequests
            : current.PendingRequests.Where(r => r.Kind != ApprovalKind.IndividualDecision).ToList(),
        IndividualDecisionApproved = false,
        LastChangedAt = e.EvaluatedAt,
    };

    public static CaseSummary Apply(IndividualDecisionRequested e, CaseSummary current) => current with
    {
        IndividualDecisionPending = true,
        PendingRequests = [.. current.PendingRequests, new ApprovalRequestView(e.RequestId, ApprovalKind.IndividualDecision, e.Justification, e.RequestedBy, e.RequestedAt)],
        LastChangedAt = e.RequestedAt,
    };

    public static CaseSummary Apply(SupportExtensionRequested e, CaseSummary current) => current with
    {
        ExtensionPending = true,
        PendingRequests = [.. current.PendingRequests, new ApprovalRequestView(e.RequestId, ApprovalKind.SupportExtension, e.Justification, e.RequestedBy, e.RequestedAt)],
        LastChangedAt = e.RequestedAt,
    };

    public static CaseSummary Apply(ApprovalDecided e, CaseSummary current)
    {
        var individual = e.Kind == ApprovalKind.IndividualDecision;
        var extended = !individual && e.Approved;
        return current with
        {
            IndividualDecisionPending = !individual && current.IndividualDecisionPending,
            ExtensionPending = individual && current.ExtensionPending,
            IndividualDecisionApproved = individual ? e.Approved : current.IndividualDecisionApproved,
            PendingRequests = current.PendingRequests.Where(r => r.Id != e.RequestId).ToList(),
            Decisions = [.. current.Decisions.Where(d => d.Kind != e.Kind), new ApprovalDecisionView(e.RequestId, e.Kind, e.Approved, e.Comment, e.DecidedBy, e.DecidedAt)],
            SupportEnd = extended ? current.SupportStart.PlusClamped(Period.FromYears(ClientCase.ExtendedSupportYears)).PlusClamped(Period.FromDays(-1)) : current.SupportEnd,
            LastChangedAt = e.DecidedAt,
        };
    }

    public static CaseSummary Apply(CasePaused e, CaseSummary current) => current with { Status = CaseStatus.Paused, LastChangedAt = e.PausedAt };

    public static CaseSummary Apply(CaseResumed e, CaseSummary current) => current with { Status = CaseStatus.Open, LastChangedAt = e.ResumedAt };

    public static CaseSummary Apply(CaseClosed e, CaseSummary current) => current with { Status = CaseStatus.Closed, ClosedOn = e.ClosedOn, ClosingReason = e.Reason, LastChangedAt = e.ClosedAt };

    public static CaseSummary Apply(CaseReopened e, CaseSummary current) => current with { Status = CaseStatus.Open, ClosedOn = null, ClosingReason = null, LastChangedAt = e.ReopenedAt };

    public static CaseSummary Apply(ConsultationRecorded e, CaseSummary current) => current with
    {
        Consultations = [.. current.Consultations, new ConsultationView(e.ConsultationId, e.Date, e.DurationMinutes, e.Mode, e.Fields, e.InterpreterLanguage, e.Note)],
        ConsultationDates = [.. current.ConsultationDates, e.Date],
        LastContact = current.LastContact is { } last && last > e.Date ? last : e.Date,
        LastChangedAt = e.RecordedAt,
    };

    // Appointments live in their own read model (CaseAppointments); the summary follows the case's version and moment.
    public static CaseSummary Apply(AppointmentScheduled e, CaseSummary current) => current with { LastChangedAt = e.ScheduledAt };

    public static CaseSummary Apply(AppointmentChanged e, CaseSummary current) => current with { LastChangedAt = e.ChangedAt };

    public static CaseSummary Apply(AppointmentCancelled e, CaseSummary current) => current with { LastChangedAt = e.CancelledAt };

    public static CaseSummary Apply(AppointmentMissed e, CaseSummary current) => current with { LastChangedAt = e.RecordedAt };

    public static CaseSummary Apply(AppointmentTookPlace e, CaseSummary current) => current with { LastChangedAt = e.RecordedAt };

    public static CaseSummary Apply(StepPlanned e, CaseSummary current) => current with
    {
        Goals = current.Goals.Select(g => g.Id != e.GoalId ? g : g with { Steps = [.. g.Steps, new StepView(e.StepId, e.Text, e.Responsible, e.Service, e.DueDate, null)] }).ToList(),
        LastChangedAt = e.PlannedAt,
    };

    public static CaseSummary Apply(StepCompleted e, CaseSummary current) => current with
    {
        Goals = current.Goals.Select(g => g.Id != e.GoalId ? g : g with
        {
            Steps = g.Steps.Select(s => s.Id == e.StepId ? s with { CompletedOn = e.CompletedOn } : s).ToList(),
        }).ToList(),
        LastChangedAt = e.CompletedAt,
    };

    public static CaseSummary Apply(PlanReviewed e, CaseSummary current) => current with
    {
        Goals = current.Goals.Select(g => e.Goals.FirstOrDefault(r => r.GoalId == g.Id) is not { } review ? g : review.Outcome switch
        {
            ReviewOutcome.Change => g with { Text = review.NewText ?? g.Text, TargetDate = review.NewTargetDate ?? g.TargetDate },
            ReviewOutcome.Close => g with { Status = review.ClosedAs ?? g.Status, StatusReason = review.Reason, FinishedOn = e.Date },
            _ => g,
        }).ToList(),
        LastReviewOn = e.Date,
        NextReviewOn = e.NextReview,
        ReviewCount = current.ReviewCount + 1,
        LastChangedAt = e.ReviewedAt,
    };

    public static CaseSummary Apply(DocumentAttached e, CaseSummary current) => current with
    {
        Documents = [.. current.Documents, new DocumentView(e.DocumentId, e.Title, e.Kind, e.Date, e.ContentType, e.Size, e.AttachedBy, e.AttachedAt)],
        LastChangedAt = e.AttachedAt,
    };

    public static CaseSummary Apply(DocumentDeleted e, CaseSummary current) => current with
    {
        Documents = current.Documents.Where(d => d.Id != e.DocumentId).ToList(),
        LastChangedAt = e.DeletedAt,
    };

    public static CaseSummary Apply(PlanSigned e, CaseSummary current) => current with { PlanSignedOn = e.SignedOn, LastChangedAt = e.RecordedAt };

    public static CaseSummary Apply(GoalAgreed e, CaseSummary current) => current with
    {
        Goals = [.. current.Goals, new GoalView(e.GoalId, e.Field, e.Text, e.AgreedOn, e.TargetDate, e.NextReview, GoalStatus.Agreed, null) { ClientSummary = e.ClientSummary }],
        LastChangedAt = e.AgreedAt,
    };

    public static CaseSummary Apply(GoalStatusChanged e, CaseSummary current) => current with
    {
        Goals = current.Goals.Select(g => g.Id == e.GoalId
            ? g with { Status = e.Status, StatusReason = e.Reason, FinishedOn = Goals.IsFinal(e.Status) ? e.ChangedAt.InZone(Common.Time.Berlin).Date : null }
            : g).ToList(),
        LastChangedAt = e.ChangedAt,
    };

    public static CaseSummary Apply(ContactDetailsChanged e, CaseSummary current) => current with { Contact = e.Contact, LastChangedAt = e.ChangedAt };

    public static CaseSummary Apply(ConsentRecorded e, CaseSummary current) => current with { Consent = e.Consent, ConsentWithdrawal = null, LastChangedAt = e.RecordedAt };

    public static CaseSummary Apply(DataProtection.ConsentWithdrawn e, CaseSummary current) => current with
    {
        ConsentWithdrawal = new ConsentWithdrawalView(e.WithdrawnOn, [.. (current.ConsentWithdrawal?.Scopes ?? []).Union(e.Scopes).Order()]),
        LastChangedAt = e.WithdrawnAt,
    };

    public static CaseSummary Apply(DataProtection.ProcessingRestricted e, CaseSummary current) =>
        current with { Restriction = new RestrictionView(e.Reason, e.RestrictedBy, e.RestrictedAt), LastChangedAt = e.RestrictedAt };

    public static CaseSummary Apply(DataProtection.ProcessingRestrictionLifted e, CaseSummary current) => current with { Restriction = null, LastChangedAt = e.LiftedAt };

    /// <summary>An erased case leaves the case lists: its pseudonymous record is <see cref="DataProtection.ErasedCase"/>.</summary>
    public static bool ShouldDelete(DataProtection.CaseErased e) => true;

    public static CaseSummary Apply(HouseholdMemberLinked e, CaseSummary current) => current with
    {
        Household = [.. current.Household, new HouseholdMemberView(e.MemberCaseId, e.MemberCaseNumber, e.Relation)],
        LastChangedAt = e.LinkedAt,
    };

    public static CaseSummary Apply(HouseholdMemberUnlinked e, CaseSummary current) => current with
    {
        Household = current.Household.Where(m => m.CaseId != e.MemberCaseId).ToList(),
        LastChangedAt = e.UnlinkedAt,
    };

    public static CaseSummary Apply(ProfileUpdated e, CaseSummary current) => current with { Profile = e.Profile, LastChangedAt = e.UpdatedAt };

    public static CaseSummary Apply(LanguageLevelAssessed e, CaseSummary current) => current with
    {
        // The newest assessment per language counts; an older one entered later does not replace it.
        LanguageLevels = current.LanguageLevels.Any(l => l.Language == e.Language && l.AssessedOn > e.AssessedOn)
            ? current.LanguageLevels
            : [.. current.LanguageLevels.Where(l => l.Language != e.Language), new LanguageLevelView(e.Language, e.Level, e.Basis, e.Certificate, e.AssessedOn)],
        LastChangedAt = e.AssessedAt,
    };

    public static CaseSummary Apply(DevelopmentNoted e, CaseSummary current) => current with
    {
        Developments = [.. current.Developments, new DevelopmentView(e.EntryId, e.Date, e.Text)],
        LastChangedAt = e.NotedAt,
    };

    public static CaseSummary Apply(ReferralMade e, CaseSummary current) => current with
    {
        Referrals = [.. current.Referrals, new ReferralView(e.ReferralId, e.GoalId, e.Service, e.ServiceName, e.Date, e.Note) { OfferId = e.OfferId }],
        LastChangedAt = e.ReferredAt,
    };

    public static CaseSummary Apply(CaseReassigned e, CaseSummary current) => current with { ManagerId = e.ToManagerId, PendingTransfer = null, LastChangedAt = e.ReassignedAt };

    public static CaseSummary Apply(TransferRequested e, CaseSummary current) => current with
    {
        PendingTransfer = new TransferView(e.TransferId, e.ToManagerId, e.ToTeamId, e.Note, e.RequestedBy, e.RequestedAt),
        LastChangedAt = e.RequestedAt,
    };

    public static CaseSummary Apply(TransferDecided e, CaseSummary current) => current with { PendingTransfer = null, LastChangedAt = e.DecidedAt };
}
