using JasperFx.Events;

namespace CaseManagement.DataProtection;

/// <summary>
/// How every event of a case is masked when the case is erased: free text, names, contact data, the
/// profile and every other personal detail are replaced by empty values; ids, enums, dates of the case
/// work and the case number (a pseudonym once the name is gone) remain, so the stream still reads as
/// "what happened when, by whom" for the audit. One entry per event type; a new event type without an
/// entry fails <c>Every_event_type_is_masked_or_declared_free_of_personal_data</c>.
/// </summary>
public static class PersonalDataMask
{
    /// <summary>Event types that carry nothing personal beyond ids, enums, dates and case numbers.</summary>
    public static readonly IReadOnlySet<Type> FreeOfPersonalData = new HashSet<Type>
    {
        typeof(HousingChanged),
        typeof(ResidenceStatusChanged),
        typeof(CaseResumed),
        typeof(PlanSigned),
        typeof(StepCompleted),
        typeof(HouseholdMemberUnlinked),
        typeof(ConsentWithdrawn),
        typeof(CaseErased),
        typeof(AppointmentCancelled),
        typeof(AppointmentMissed),
        typeof(AppointmentTookPlace),
    };

    /// <summary>Masks the event's data in place; false when there was nothing to mask.</summary>
    public static bool MaskInPlace(IEvent e) => e switch
    {
        Event<CaseOpened> x => Set(x, o => o with
        {
            Person = new PersonalData("", "", new LocalDate(o.Person.BirthDate.Year, 1, 1), o.Person.Gender, null, [], null),
            Imported = o.Imported is null ? null : o.Imported with { Reference = "", FileName = "" },
        }),
        Event<EligibilityEvaluated> x => Set(x, o => o with { Reasons = [] }),
        Event<IndividualDecisionRequested> x => Set(x, o => o with { Justification = "" }),
        Event<SupportExtensionRequested> x => Set(x, o => o with { Justification = "" }),
        Event<CasePaused> x => Set(x, o => o with { Note = null }),
        Event<CaseClosed> x => Set(x, o => o with { Note = null }),
        Event<CaseReopened> x => Set(x, o => o with { Note = null }),
        Event<GoalAgreed> x => Set(x, o => o with { Text = "", ClientSummary = null }),
        Event<GoalStatusChanged> x => Set(x, o => o with { Reason = null }),
        Event<AppointmentScheduled> x => Set(x, o => o with { Note = null }),
        Event<AppointmentChanged> x => Set(x, o => o with { Note = null }),
        Event<ConsultationRecorded> x => Set(x, o => o with { InterpreterLanguage = null, Note = null }),
        Event<PlanReviewed> x => Set(x, o => o with
        {
            Summary = "",
            Goals = o.Goals.Select(g => g with { NewText = null, Reason = null }).ToList(),
        }),
        Event<StepPlanned> x => Set(x, o => o with { Text = "", Service = null }),
        Event<ContactDetailsChanged> x => Set(x, o => o with { Contact = ContactDetails.None }),
        Event<ConsentRecorded> x => Set(x, o => o with { Consent = o.Consent with { FormVersion = "" } }),
        Event<HouseholdMemberLinked> x => Set(x, o => o with { Relation = HouseholdRelation.Other }),
        Event<ProfileUpdated> x => Set(x, o => o with { Profile = ClientProfile.Empty }),
        Event<LanguageLevelAssessed> x => Set(x, o => o with { Language = "", Certificate = null }),
        Event<DevelopmentNoted> x => Set(x, o => o with { Text = "" }),
        Event<ReferralMade> x => Set(x, o => o with { ServiceName = null, Note = null }),
        Event<ApprovalDecided> x => Set(x, o => o with { Comment = null }),
        Event<CaseReassigned> x => Set(x, o => o with { Note = null }),
        Event<TransferRequested> x => Set(x, o => o with { Note = null }),
        Event<TransferDecided> x => Set(x, o => o with { Comment = null }),
        Event<ProcessingRestricted> x => Set(x, o => o with { Reason = "" }),
        Event<ProcessingRestrictionLifted> x => Set(x, o => o with { Note = null }),
        Event<DocumentAttached> x => Set(x, o => o with { Title = "", ContentType = "" }),
        Event<DocumentDeleted> x => Set(x, o => o with { Title = "", Reason = null }),
        _ => false,
    };

    private static bool Set<T>(Event<T> e, Func<T, T> mask)
        where T : notnull
    {
        e.Data = mask(e.Data);
        return true;
    }
}
