using System.Collections.Immutable;

namespace CaseManagement.Cases;

public enum Gender
{
    Female,
    Male,
    Diverse,
    Unknown,
}

public enum CaseStatus
{
    Open,
    Paused,
    Closed,
}

public enum ClosingReason
{
    /// <summary>Ziele erreicht — the client can use the regular services on their own.</summary>
    GoalsReached,

    /// <summary>Weggezogen.</summary>
    MovedAway,

    /// <summary>Nicht mehr in der Zielgruppe.</summary>
    NoLongerEligible,

    /// <summary>Kontakt abgebrochen.</summary>
    ContactLost,

    /// <summary>Sonstiges (note required).</summary>
    Other,
}

public sealed record PersonalData(
    string FirstName,
    string LastName,
    LocalDate BirthDate,
    Gender Gender,
    string? Nationality,
    IReadOnlyList<string> Languages,
    string? InterpreterLanguage,
    LocalDate? ArrivedOn = null);

public sealed record Housing(HousingType Type, LocalDate Since);

public sealed record ResidenceStatus(ResidenceKind Kind, LocalDate? ValidUntil);

/// <summary>What every case event carries: the case, who did it and when.</summary>
public interface ICaseEvent
{
    Guid CaseId { get; }

    Guid Actor { get; }

    Instant At { get; }
}

// Events of a client case (one Marten stream per case). Past tense; stream id first, actor and moment last.
public sealed record CaseOpened(
    Guid CaseId, string CaseNumber, PersonalData Person, Housing Housing, ResidenceStatus Residence,
    LocalDate SupportStart, Guid ManagerId, Guid OpenedBy, Instant OpenedAt) : ICaseEvent
{
    /// <summary>Where the case came from when it was imported (the importer is <see cref="OpenedBy"/>).</summary>
    public CaseImports.ImportProvenance? Imported { get; init; }

    Guid ICaseEvent.Actor => OpenedBy;

    Instant ICaseEvent.At => OpenedAt;
}

public sealed record HousingChanged(Guid CaseId, Housing Housing, Guid ChangedBy, Instant ChangedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ChangedBy;

    Instant ICaseEvent.At => ChangedAt;
}

public sealed record ResidenceStatusChanged(Guid CaseId, ResidenceStatus Residence, Guid ChangedBy, Instant ChangedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ChangedBy;

    Instant ICaseEvent.At => ChangedAt;
}

public sealed record EligibilityEvaluated(
    Guid CaseId, EligibilityVerdict Verdict, IReadOnlyList<string> Reasons, LocalDate EvaluatedOn, Guid EvaluatedBy, Instant EvaluatedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => EvaluatedBy;

    Instant ICaseEvent.At => EvaluatedAt;
}

public sealed record IndividualDecisionRequested(Guid CaseId, string Justification, Guid RequestedBy, Instant RequestedAt) : ICaseEvent
{
    /// <summary>Id of the request (the approval's id for the team lead).</summary>
    public Guid RequestId { get; init; }

    Guid ICaseEvent.Actor => RequestedBy;

    Instant ICaseEvent.At => RequestedAt;
}

public sealed record SupportExtensionRequested(Guid CaseId, string Justification, Guid RequestedBy, Instant RequestedAt) : ICaseEvent
{
    /// <summary>Id of the request (the approval's id for the team lead).</summary>
    public Guid RequestId { get; init; }

    Guid ICaseEvent.Actor => RequestedBy;

    Instant ICaseEvent.At => RequestedAt;
}

public sealed record CasePaused(Guid CaseId, string? Note, Guid PausedBy, Instant PausedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => PausedBy;

    Instant ICaseEvent.At => PausedAt;
}

public sealed record CaseResumed(Guid CaseId, Guid ResumedBy, Instant ResumedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ResumedBy;

    Instant ICaseEvent.At => ResumedAt;
}

public sealed record CaseClosed(Guid CaseId, ClosingReason Reason, string? Note, LocalDate ClosedOn, Guid ClosedBy, Instant ClosedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ClosedBy;

    Instant ICaseEvent.At => ClosedAt;
}

public sealed record CaseReopened(Guid CaseId, string? Note, Guid ReopenedBy, Instant ReopenedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ReopenedBy;

    Instant ICaseEvent.At => ReopenedAt;
}

/// <summary>
/// A rule of the case was violated; the message is German and shown to the user as it is. Without a code the
/// input did not fit the case (invalid, 422); with one the case refuses the step (409 with the code).
/// </summary>
public sealed class CaseRuleException(string message, RefusalCode? code = null) : Exception(message)
{
    public RefusalCode? Code { get; } = code;

    /// <summary>The step does not follow from the case's current state (refused: invalid-transition).</summary>
    public static CaseRuleException Transition(string message) => new(message, RefusalCode.InvalidTransition);
}

/// <summary>
/// Write model of a client case: only what the decisions need, evolved from the events.
/// The support period runs 3 years from its start, 4 after an approved extension (VwV 2023).
/// </summary>
public sealed record ClientCase(
    Guid Id,
    CaseStatus Status,
    Housing Housing,
    LocalDate? LeftFollowUpAccommodationOn,
    ResidenceStatus Residence,
    string? Nationality,
    LocalDate SupportStart,
    EligibilityVerdict Verdict,
    bool IndividualDecisionPending,
    bool ExtensionPending,
    bool Extended,
    IReadOnlyDictionary<Guid, GoalStatus> Goals)
{
    /// <summary>Steps planned and not yet done (ids).</summary>
    public ImmutableHashSet<Guid> OpenSteps { get; init; } = [];

    public string CaseNumber { get; init; } = "";

    public Guid? PendingDecisionRequest { get; init; }

    public Guid? PendingExtensionRequest { get; init; }

    /// <summary>The lead approved the individual decision for the current facts (reset by every new evaluation).</summary>
    public bool IndividualDecisionApproved { get; init; }

    public ContactDetails Contact { get; init; } = ContactDetails.None;

    public ClientProfile Profile { get; init; } = ClientProfile.Empty;

    /// <summary>Cases of the same household (ids).</summary>
    public ImmutableHashSet<Guid> HouseholdMembers { get; init; } = [];

    /// <summary>Day of the consent recorded last (null: none).</summary>
    public LocalDate? ConsentGivenOn { get; init; }

    /// <summary>What the client consents to now (recorded minus withdrawn).</summary>
    public ImmutableHashSet<ConsentScope> ConsentedScopes { get; init; } = [];

    /// <summary>Processing is restricted (DSGVO Art. 18): the case is read-only until the DPO lifts it.</summary>
    public bool Restricted { get; init; }

    /// <summary>The client withdrew consent to the counselling: read-only until new consent is recorded.</summary>
    public bool CounsellingConsentWithdrawn { get; init; }

    /// <summary>The case was erased (DSGVO Art. 17): nothing can be appended any more.</summary>
    public bool Erased { get; init; }

    /// <summary>The documents attached and not deleted: id → title (a deletion records the title).</summary>
    public ImmutableDictionary<Guid, string> Documents { get; init; } = ImmutableDictionary<Guid, string>.Empty;

    /// <summary>The responsible manager (who may change the case, with the deputy and the team's lead).</summary>
    public Guid ManagerId { get; init; }

    /// <summary>The appointments (Termine) with the client, by id.</summary>
    public ImmutableDictionary<Guid, AppointmentSlot> Appointments { get; init; } = ImmutableDictionary<Guid, AppointmentSlot>.Empty;

    public const int SupportYears = 3;
    public const int ExtendedSupportYears = 4;

    /// <summary>Last day of the support period.</summary>
    public LocalDate SupportEnd => SupportStart.PlusClamped(Period.FromYears(Extended ? ExtendedSupportYears : SupportYears)).PlusClamped(Period.FromDays(-1));

    public ClientFacts Facts => new(Housing.Type, LeftFollowUpAccommodationOn, Residence.Kind, Residence.ValidUntil, Nationality, SupportEnd);

    public static ClientCase Create(CaseOpened opened)
    {
        ArgumentNullException.ThrowIfNull(opened);
        return new(opened.CaseId, CaseStatus.Open, opened.Housing, null, opened.Residence, opened.Person.Nationality,
            opened.SupportStart, EligibilityVerdict.NotEligible, false, false, false, new Dictionary<Guid, GoalStatus>())
        {
            CaseNumber = opened.CaseNumber,
            ManagerId = opened.ManagerId,
        };
    }

    public ClientCase Apply(CaseReassigned e) => this with { ManagerId = e.ToManagerId };

    public ClientCase Apply(AppointmentScheduled e) => this with
    {
        Appointments = Appointments.SetItem(e.AppointmentId, new AppointmentSlot(e.Start, e.DurationMinutes, e.Place, AppointmentStatus.Scheduled)),
    };

    public ClientCase Apply(AppointmentChanged e) => this with
    {
        Appointments = AppointmentRules.With(Appointments, e.AppointmentId, a => a with { Start = e.Start, DurationMinutes = e.DurationMinutes, Place = e.Place }),
    };

    public ClientCase Apply(AppointmentCancelled e) => this with
    {
        Appointments = AppointmentRules.With(Appointments, e.AppointmentId, a => a with { Status = AppointmentStatus.Cancelled }),
    };

    public ClientCase Apply(AppointmentMissed e) => this with
    {
        Appointments = AppointmentRules.With(Appointments, e.AppointmentId, a => a with { Status = AppointmentStatus.Missed }),
    };

    public ClientCase Apply(AppointmentTookPlace e) => this with
    {
        Appointments = AppointmentRules.With(Appointments, e.AppointmentId, a => a with { Status = AppointmentStatus.TookPlace }),
    };

    public ClientCase Apply(ContactDetailsChanged e) => this with { Contact = e.Contact };

    public ClientCase Apply(ConsentRecorded e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return this with
        {
            ConsentGivenOn = e.Consent.GivenOn,
            ConsentedScopes = [.. e.Consent.Scopes],
            CounsellingConsentWithdrawn = CounsellingConsentWithdrawn && !e.Consent.Scopes.Contains(ConsentScope.Counselling),
        };
    }

    public ClientCase Apply(DataProtection.ConsentWithdrawn e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return this with
        {
            ConsentedScopes = ConsentedScopes.Except(e.Scopes),
            CounsellingConsentWithdrawn = CounsellingConsentWithdrawn || e.Scopes.Contains(ConsentScope.Counselling),
        };
    }

    public ClientCase Apply(DataProtection.ProcessingRestricted e) => this with { Restricted = true };

    public ClientCase Apply(DataProtection.ProcessingRestrictionLifted e) => this with { Restricted = false };

    /// <summary>Nothing personal stays in the write model of an erased case (it is stored as a snapshot).</summary>
    public ClientCase Apply(DataProtection.CaseErased e) => this with
    {
        Erased = true,
        Nationality = null,
        Contact = ContactDetails.None,
        Profile = ClientProfile.Empty,
        Documents = ImmutableDictionary<Guid, string>.Empty,
    };

    public ClientCase Apply(DocumentAttached e) => this with { Documents = Documents.SetItem(e.DocumentId, e.Title) };

    public ClientCase Apply(DocumentDeleted e) => this with { Documents = Documents.Remove(e.DocumentId) };

    public ClientCase Apply(ProfileUpdated e) => this with { Profile = e.Profile };

    public ClientCase Apply(HouseholdMemberLinked e) => this with { HouseholdMembers = HouseholdMembers.Add(e.MemberCaseId) };

    public ClientCase Apply(HouseholdMemberUnlinked e) => this with { HouseholdMembers = HouseholdMembers.Remove(e.MemberCaseId) };

    public ClientCase Apply(HousingChanged e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var leftAu = Housing.Type == HousingType.FollowUpAccommodation && e.Housing.Type != HousingType.FollowUpAccommodation
            ? e.Housing.Since.PlusClamped(Period.FromDays(-1))
            : e.Housing.Type == HousingType.FollowUpAccommodation ? null : LeftFollowUpAccommodationOn;
        return this with { Housing = e.Housing, LeftFollowUpAccommodationOn = leftAu };
    }

    public ClientCase Apply(ResidenceStatusChanged e) => this with { Residence = e.Residence };

    public ClientCase Apply(EligibilityEvaluated e) => this with
    {
        Verdict = e.Verdict,
        // A new verdict replaces a pending request for the old one; new facts need a new approval.
        IndividualDecisionPending = IndividualDecisionPending && e.Verdict == EligibilityVerdict.NeedsIndividualDecision,
        PendingDecisionRequest = IndividualDecisionPending && e.Verdict == EligibilityVerdict.NeedsIndividualDecision ? PendingDecisionRequest : null,
        IndividualDecisionApproved = false,
    };

    public ClientCase Apply(IndividualDecisionRequested e) => this with { IndividualDecisionPending = true, PendingDecisionRequest = e.RequestId };

    public ClientCase Apply(SupportExtensionRequested e) => this with { ExtensionPending = true, PendingExtensionRequest = e.RequestId };

    public ClientCase Apply(ApprovalDecided e) => e.Kind == ApprovalKind.IndividualDecision
        ? this with { IndividualDecisionPending = false, PendingDecisionRequest = null, IndividualDecisionApproved = e.Approved }
        : this with { ExtensionPending = false, PendingExtensionRequest = null, Extended = Extended || e.Approved };

    public ClientCase Apply(CasePaused e) => this with { Status = CaseStatus.Paused };

    public ClientCase Apply(CaseResumed e) => this with { Status = CaseStatus.Open };

    public ClientCase Apply(CaseClosed e) => this with { Status = CaseStatus.Closed };

    public ClientCase Apply(CaseReopened e) => this with { Status = CaseStatus.Open };

    public ClientCase Apply(GoalAgreed e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return this with { Goals = new Dictionary<Guid, GoalStatus>(Goals) { [e.GoalId] = GoalStatus.Agreed } };
    }

    public ClientCase Apply(StepPlanned e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return this with { OpenSteps = OpenSteps.Add(e.StepId) };
    }

    public ClientCase Apply(StepCompleted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return this with { OpenSteps = OpenSteps.Remove(e.StepId) };
    }

    public ClientCase Apply(PlanReviewed e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var goals = new Dictionary<Guid, GoalStatus>(Goals);
        foreach (var closed in e.Goals.Where(g => g.Outcome == ReviewOutcome.Close && g.ClosedAs is not null))
        {
            goals[closed.GoalId] = closed.ClosedAs!.Value;
        }

        return this with { Goals = goals };
    }

    public ClientCase Apply(GoalStatusChanged e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return this with { Goals = new Dictionary<Guid, GoalStatus>(Goals) { [e.GoalId] = e.Status } };
    }
}

/// <summary>
/// Decisions over the write model: pure functions from state and input to events; an invalid transition
/// throws <see cref="CaseRuleException"/> with a German message and produces nothing.
/// </summary>
public static class ClientCaseDecisions
{
    public static object[] Open(
        Guid caseId, string caseNumber, PersonalData person, Housing housing, ResidenceStatus residence, LocalDate supportStart,
        Guid managerId, EligibilityRules rules, LocalDate today, Guid actor, Instant now, ContactDetails? contact = null, Consent? consent = null)
    {
        var opened = new CaseOpened(caseId, caseNumber, person, housing, residence, supportStart, managerId, actor, now);
        var state = ClientCase.Create(opened);
        object[] events = [opened, Evaluate(state, rules, today, actor, now)];
        if (contact is { IsEmpty: false })
        {
            events = [.. events, new ContactDetailsChanged(caseId, contact, actor, now)];
        }

        return consent is null ? events : [.. events, new ConsentRecorded(caseId, consent, actor, now)];
    }

    public static object[] ChangeHousing(ClientCase state, Housing housing, EligibilityRules rules, LocalDate today, Guid actor, Instant now)
    {
        RequireNotClosed(state);
        if (housing == state.Housing)
        {
            throw new CaseRuleException("Die Wohnsituation ist unverändert.");
        }

        if (housing.Since < state.Housing.Since)
        {
            throw new CaseRuleException($"Die neue Wohnsituation kann nicht vor der bisherigen (seit {Time.Format(state.Housing.Since)}) beginnen.");
        }

        var changed = new HousingChanged(state.Id, housing, actor, now);
        return WithEvaluation(state.Apply(changed), changed, rules, today, actor, now);
    }

    public static object[] ChangeResidenceStatus(ClientCase state, ResidenceStatus residence, EligibilityRules rules, LocalDate today, Guid actor, Instant now)
    {
        RequireNotClosed(state);
        if (residence == state.Residence)
        {
            throw new CaseRuleException("Der Aufenthaltsstatus ist unverändert.");
        }

        var changed = new ResidenceStatusChanged(state.Id, residence, actor, now);
        return WithEvaluation(state.Apply(changed), changed, rules, today, actor, now);
    }

    /// <summary>Re-checks eligibility (e.g. when a residence document expired); an event only when the outcome changed.</summary>
    public static object[] Reevaluate(ClientCase state, EligibilityRules rules, LocalDate today, Guid actor, Instant now)
    {
        var evaluated = Evaluate(state, rules, today, actor, now);
        return evaluated.Verdict == state.Verdict ? [] : [evaluated];
    }

    public static object[] RequestIndividualDecision(ClientCase state, string justification, Guid actor, Instant now)
    {
        RequireNotClosed(state);
        if (state.Verdict != EligibilityVerdict.NeedsIndividualDecision)
        {
            throw CaseRuleException.Transition("Eine Einzelfallentscheidung ist nur nötig, wenn die Eignungsprüfung sie verlangt.");
        }

        if (state.IndividualDecisionPending)
        {
            throw CaseRuleException.Transition("Die Einzelfallentscheidung liegt der Teamleitung bereits vor.");
        }

        return [new IndividualDecisionRequested(state.Id, RequireJustification(justification), actor, now) { RequestId = Guid.CreateVersion7() }];
    }

    public static object[] RequestSupportExtension(ClientCase state, string justification, Guid actor, Instant now)
    {
        RequireNotClosed(state);
        if (state.Extended)
        {
            throw CaseRuleException.Transition("Der Förderzeitraum ist bereits auf 4 Jahre verlängert; länger ist nicht möglich.");
        }

        if (state.ExtensionPending)
        {
            throw CaseRuleException.Transition("Die Verlängerung liegt der Teamleitung bereits vor.");
        }

        return [new SupportExtensionRequested(state.Id, RequireJustification(justification), actor, now) { RequestId = Guid.CreateVersion7() }];
    }

    /// <summary>The team lead approves or rejects a pending request; a decided or superseded request cannot be decided again.</summary>
    public static object[] DecideApproval(ClientCase state, Guid requestId, bool approve, string? comment, Guid actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var kind = state.PendingDecisionRequest == requestId ? ApprovalKind.IndividualDecision
            : state.PendingExtensionRequest == requestId ? ApprovalKind.SupportExtension
            : throw CaseRuleException.Transition("Dieser Antrag liegt nicht mehr zur Entscheidung vor (schon entschieden oder durch eine Änderung am Fall überholt).");
        if (!approve && string.IsNullOrWhiteSpace(comment))
        {
            throw new CaseRuleException("Bitte die Ablehnung kurz begründen.");
        }

        return [new ApprovalDecided(state.Id, requestId, kind, approve, comment, actor, now)];
    }

    public static object[] Pause(ClientCase state, string? note, Guid actor, Instant now) => state.Status switch
    {
        CaseStatus.Open => [new CasePaused(state.Id, Normalise(note), actor, now)],
        CaseStatus.Paused => throw CaseRuleException.Transition("Der Fall ruht bereits."),
        _ => throw new CaseRuleException(ProcessingRules.ClosedMessage, RefusalCode.Closed),
    };

    public static object[] Resume(ClientCase state, Guid actor, Instant now) => state.Status == CaseStatus.Paused
        ? [new CaseResumed(state.Id, actor, now)]
        : throw CaseRuleException.Transition("Nur ein ruhender Fall kann fortgesetzt werden.");

    public static object[] Close(ClientCase state, ClosingReason reason, string? note, LocalDate closedOn, LocalDate today, Guid actor, Instant now)
    {
        RequireNotClosed(state);
        if (!Enum.IsDefined(reason))
        {
            throw new CaseRuleException(Messages.Lifecycle.CloseReasonRequired);
        }

        if (reason == ClosingReason.Other && string.IsNullOrWhiteSpace(note))
        {
            throw new CaseRuleException("Bei „Sonstiges“ bitte den Grund kurz beschreiben.");
        }

        if (closedOn > today)
        {
            throw new CaseRuleException("Ein Fall kann nicht in der Zukunft abgeschlossen werden.");
        }

        if (closedOn < state.SupportStart)
        {
            throw new CaseRuleException("Der Abschluss kann nicht vor dem Beginn der Begleitung liegen.");
        }

        return [new CaseClosed(state.Id, reason, Normalise(note), closedOn, actor, now)];
    }

    public static object[] Reopen(ClientCase state, string? note, LocalDate today, Guid actor, Instant now)
    {
        if (state.Status != CaseStatus.Closed)
        {
            throw CaseRuleException.Transition("Nur ein abgeschlossener Fall kann wieder eröffnet werden.");
        }

        if (today > state.SupportEnd)
        {
            throw CaseRuleException.Transition($"Der Förderzeitraum ist am {Time.Format(state.SupportEnd)} abgelaufen; der Fall kann nicht wieder eröffnet werden.");
        }

        return [new CaseReopened(state.Id, Normalise(note), actor, now)];
    }

    private static object[] WithEvaluation(ClientCase changed, object change, EligibilityRules rules, LocalDate today, Guid actor, Instant now) =>
        [change, Evaluate(changed, rules, today, actor, now)];

    private static EligibilityEvaluated Evaluate(ClientCase state, EligibilityRules rules, LocalDate today, Guid actor, Instant now)
    {
        var result = EligibilityCheck.Evaluate(state.Facts, rules, today);
        return new EligibilityEvaluated(state.Id, result.Verdict, result.Reasons, today, actor, now);
    }

    /// <summary>A closed case takes no changes until it is reopened.</summary>
    public static void RequireNotClosed(ClientCase state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status == CaseStatus.Closed)
        {
            throw new CaseRuleException(ProcessingRules.ClosedMessage, RefusalCode.Closed);
        }
    }

    private static string RequireJustification(string justification)
    {
        var text = justification?.Trim() ?? "";
        return text.Length switch
        {
            < 20 => throw new CaseRuleException("Bitte schriftlich begründen (mindestens 20 Zeichen)."),
            > CaseLifecycleHandlers.MaxJustificationLength => throw new CaseRuleException(Messages.Lifecycle.JustificationTooLong(CaseLifecycleHandlers.MaxJustificationLength)),
            _ => text,
        };
    }

    private static string? Normalise(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();
}
