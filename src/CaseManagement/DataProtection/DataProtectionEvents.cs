namespace CaseManagement.DataProtection;

// Events of the data-protection capability, appended to the client case's stream like every other change.

/// <summary>
/// The client withdrew consent (Widerruf der Einwilligung) on a day for some or all scopes. Withdrawing
/// consent to the counselling itself makes the case read-only until new consent is recorded.
/// </summary>
public sealed record ConsentWithdrawn(Guid CaseId, LocalDate WithdrawnOn, IReadOnlyList<ConsentScope> Scopes, Guid WithdrawnBy, Instant WithdrawnAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => WithdrawnBy;

    Instant ICaseEvent.At => WithdrawnAt;
}

/// <summary>Einschränkung der Verarbeitung (DSGVO Art. 18): the data is kept but not processed; the case is read-only.</summary>
public sealed record ProcessingRestricted(Guid CaseId, string Reason, Guid RestrictedBy, Instant RestrictedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => RestrictedBy;

    Instant ICaseEvent.At => RestrictedAt;
}

public sealed record ProcessingRestrictionLifted(Guid CaseId, string? Note, Guid LiftedBy, Instant LiftedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => LiftedBy;

    Instant ICaseEvent.At => LiftedAt;
}

/// <summary>
/// Löschung (DSGVO Art. 17). The last event of an erased case: it carries the pseudonymous record that keeps
/// counting in the funding report (no name, no birth date, no text), and every earlier event of the stream
/// is masked in the same transaction. No event can follow it.
/// </summary>
public sealed record CaseErased(Guid CaseId, Guid ErasureId, ErasedCaseRecord Record, Guid ErasedBy, Instant ErasedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ErasedBy;

    Instant ICaseEvent.At => ErasedAt;
}

/// <summary>A consultation as the statistics need it: when, how long, how, with or without interpreter.</summary>
public sealed record ErasedConsultation(LocalDate Date, int DurationMinutes, ConsultationMode Mode, bool WithInterpreter);

/// <summary>A goal as the statistics need it: field of action, dates and outcome (no text).</summary>
public sealed record ErasedGoal(FieldOfAction Field, LocalDate AgreedOn, LocalDate TargetDate, GoalStatus Status, LocalDate? FinishedOn);

/// <summary>
/// What remains of an erased case: the figures of the funding report (Verwendungsnachweis) and nothing that
/// names the person. The birth date is reduced to the year.
/// </summary>
public sealed record ErasedCaseRecord(
    string CaseNumber,
    Guid ManagerId,
    Gender Gender,
    int BirthYear,
    string? Nationality,
    ResidenceKind Residence,
    HousingType Housing,
    LocalDate SupportStart,
    LocalDate SupportEnd,
    LocalDate? ClosedOn,
    ClosingReason? ClosingReason,
    LocalDate ErasedOn,
    IReadOnlyList<ErasedConsultation> Consultations,
    IReadOnlyList<ErasedGoal> Goals)
{
    /// <summary>The person belonged to the target group on the day of the erasure (records before this field: yes).</summary>
    public bool InTargetGroup { get; init; } = true;

    /// <summary>The record of a case as its read model shows it on the day of the erasure.</summary>
    public static ErasedCaseRecord Of(CaseSummary c, LocalDate erasedOn)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(
            c.CaseNumber, c.ManagerId, c.Gender, c.BirthDate.Year, c.Nationality, c.Residence, c.Housing, c.SupportStart, c.SupportEnd,
            c.ClosedOn, c.ClosingReason, erasedOn,
            c.Consultations.Select(k => new ErasedConsultation(k.Date, k.DurationMinutes, k.Mode, k.InterpreterLanguage is not null)).ToList(),
            c.Goals.Select(g => new ErasedGoal(g.Field, g.AgreedOn, g.TargetDate, g.Status, g.FinishedOn)).ToList())
        {
            InTargetGroup = c.InTargetGroup,
        };
    }

    /// <summary>
    /// The record in the shape the funding report reads. The age group is computed from 1 July of the birth
    /// year (the full birth date is erased), so a person near an age boundary may move by one group.
    /// </summary>
    public CaseSummary ToStatistics(Guid caseId) => new()
    {
        Id = caseId,
        CaseNumber = CaseNumber,
        ManagerId = ManagerId,
        Gender = Gender,
        BirthDate = new LocalDate(BirthYear, 7, 1),
        Nationality = Nationality,
        Residence = Residence,
        Housing = Housing,
        Verdict = InTargetGroup ? EligibilityVerdict.Eligible : EligibilityVerdict.NotEligible,
        SupportStart = SupportStart,
        SupportEnd = SupportEnd,
        Status = CaseStatus.Closed,
        ClosedOn = ClosedOn,
        ClosingReason = ClosingReason,
        ErasedOn = ErasedOn,
        Consultations = Consultations.Select(k => new ConsultationView(Guid.Empty, k.Date, k.DurationMinutes, k.Mode, [], k.WithInterpreter ? "–" : null, null)).ToList(),
        Goals = Goals.Select(g => new GoalView(Guid.Empty, g.Field, "", g.AgreedOn, g.TargetDate, null, g.Status, null) { FinishedOn = g.FinishedOn }).ToList(),
    };
}
