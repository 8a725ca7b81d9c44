using JasperFx.Events.Projections;
using Marten;

namespace CaseManagement.Cases;

/// <summary>Marten configuration of the client-case module (one event stream per case).</summary>
public static class ClientsStore
{
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(CaseOpened),
        typeof(HousingChanged),
        typeof(ResidenceStatusChanged),
        typeof(EligibilityEvaluated),
        typeof(IndividualDecisionRequested),
        typeof(SupportExtensionRequested),
        typeof(CasePaused),
        typeof(CaseResumed),
        typeof(CaseClosed),
        typeof(CaseReopened),
        typeof(GoalAgreed),
        typeof(GoalStatusChanged),
        typeof(ConsultationRecorded),
        typeof(PlanSigned),
        typeof(PlanReviewed),
        typeof(StepPlanned),
        typeof(StepCompleted),
        typeof(ContactDetailsChanged),
        typeof(ConsentRecorded),
        typeof(HouseholdMemberLinked),
        typeof(HouseholdMemberUnlinked),
        typeof(ProfileUpdated),
        typeof(LanguageLevelAssessed),
        typeof(DevelopmentNoted),
        typeof(ReferralMade),
        typeof(ApprovalDecided),
        typeof(CaseReassigned),
        typeof(TransferRequested),
        typeof(TransferDecided),
        typeof(AppointmentScheduled),
        typeof(AppointmentChanged),
        typeof(AppointmentCancelled),
        typeof(AppointmentMissed),
        typeof(AppointmentTookPlace),
        typeof(DataProtection.ConsentWithdrawn),
        typeof(DataProtection.ProcessingRestricted),
        typeof(DataProtection.ProcessingRestrictionLifted),
        typeof(DataProtection.CaseErased),
        typeof(DocumentAttached),
        typeof(DocumentDeleted),
    ];

    public static StoreOptions ConfigureClients(this StoreOptions opts, int rebuildBatchSize)
    {
        ArgumentNullException.ThrowIfNull(opts);
        opts.Events.AddEventTypes(EventTypes);
        // The write model is kept as a snapshot, updated in the same transaction as the events: a command loads
        // one small document instead of replaying a three-year stream (benchmark, scenario 1).
        opts.Projections.Snapshot<ClientCase>(SnapshotLifecycle.Inline, rebuild => rebuild.BatchSize = rebuildBatchSize);
        opts.Projections.Add<CaseSummaryProjection>(ProjectionLifecycle.Inline, rebuild => rebuild.BatchSize = rebuildBatchSize);
        return opts;
    }
}
