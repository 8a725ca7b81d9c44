using System.Collections.Concurrent;
using System.Reflection;
using JasperFx.Events;

namespace CaseManagement.Cases;

/// <summary>
/// "Stand am": the case as it was on a day by the dates the facts took effect (docs/as-of.md). Facts recorded
/// later but effective on or before the day are part of it, each with the day it was recorded
/// ("nachträglich erfasst am …"); facts effective after the day are not.
/// </summary>
public sealed record CaseAsOf(LocalDate Day, CaseSummary Case)
{
    /// <summary>The intake was recorded after the day (the case existed already by its support start).</summary>
    public LocalDate? CaseRecordedOn { get; init; }

    /// <summary>The housing shown was recorded after the day: the day it was recorded.</summary>
    public LocalDate? HousingRecordedOn { get; init; }

    public LocalDate? ResidenceRecordedOn { get; init; }

    public LocalDate? VerdictRecordedOn { get; init; }

    public LocalDate? StatusRecordedOn { get; init; }

    /// <summary>Goals whose state shown was (partly) recorded after the day, with the last such day.</summary>
    public IReadOnlyDictionary<Guid, LocalDate> GoalsRecordedOn { get; init; } = new Dictionary<Guid, LocalDate>();

    /// <summary>Consultations that took place by the day but were recorded after it.</summary>
    public int ConsultationsRecordedLater { get; init; }
}

/// <summary>
/// The as-of rule as a pure function over the case's events: every event has the day it took effect
/// (<see cref="EffectiveOn"/>); the case on day D is every event effective on or before D, applied in the order
/// the events were recorded. A later entry therefore corrects an earlier one for the days both cover, and the
/// case as of today is the case as it stands.
/// </summary>
public static class CaseAsOfRule
{
    /// <summary>The day an event took effect (its own date where it has one, else the day it was recorded).</summary>
    /// <param name="e">The event.</param>
    /// <param name="previous">The event recorded just before it (an eligibility check takes effect with the fact it was made for).</param>
    public static LocalDate EffectiveOn(ICaseEvent e, ICaseEvent? previous = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            CaseOpened opened => LocalDate.Min(opened.SupportStart, RecordedOn(opened)),
            HousingChanged changed => changed.Housing.Since,
            EligibilityEvaluated evaluated when previous is CaseOpened or HousingChanged or ResidenceStatusChanged && previous.At == evaluated.EvaluatedAt
                => EffectiveOn(previous),
            EligibilityEvaluated evaluated => evaluated.EvaluatedOn,
            CaseClosed closed => closed.ClosedOn,
            GoalAgreed goal => goal.AgreedOn,
            PlanReviewed review => review.Date,
            StepCompleted step => step.CompletedOn,
            ConsultationRecorded consultation => consultation.Date,
            PlanSigned signed => signed.SignedOn,
            LanguageLevelAssessed level => level.AssessedOn,
            DevelopmentNoted development => development.Date,
            ReferralMade referral => referral.Date,
            ConsentRecorded consent => consent.Consent.GivenOn,
            DataProtection.ConsentWithdrawn withdrawn => withdrawn.WithdrawnOn,
            _ => RecordedOn(e),
        };
    }

    public static LocalDate RecordedOn(ICaseEvent e) => (e ?? throw new ArgumentNullException(nameof(e))).At.InZone(Common.Time.Berlin).Date;

    /// <summary>The case on <paramref name="day"/> from its events in the order they were recorded; null when it did not exist yet.</summary>
    public static CaseAsOf? Build(IReadOnlyList<ICaseEvent> events, LocalDate day)
    {
        ArgumentNullException.ThrowIfNull(events);
        CaseSummary? summary = null;
        LocalDate? caseLate = null, housingLate = null, residenceLate = null, verdictLate = null, statusLate = null;
        var goalsLate = new Dictionary<Guid, LocalDate>();
        var consultationsLate = 0;
        ICaseEvent? previous = null;
        foreach (var e in events)
        {
            var effective = EffectiveOn(e, previous);
            previous = e;
            if (effective > day || (summary is null && e is not CaseOpened))
            {
                continue;
            }

            summary = Apply(summary, e);
            var recorded = RecordedOn(e);
            LocalDate? late = recorded > day ? recorded : null;
            switch (e)
            {
                case CaseOpened:
                    caseLate = housingLate = residenceLate = statusLate = late;
                    break;
                case HousingChanged:
                    housingLate = late;
                    break;
                case ResidenceStatusChanged:
                    residenceLate = late;
                    break;
                case EligibilityEvaluated or ApprovalDecided { Kind: ApprovalKind.IndividualDecision }:
                    verdictLate = late;
                    break;
                case CasePaused or CaseResumed or CaseClosed or CaseReopened:
                    statusLate = late;
                    break;
                case ConsultationRecorded when late is not null:
                    consultationsLate++;
                    break;
                case GoalAgreed g:
                    Mark(g.GoalId);
                    break;
                case GoalStatusChanged g:
                    Mark(g.GoalId);
                    break;
                case StepPlanned s:
                    Mark(s.GoalId);
                    break;
                case StepCompleted s:
                    Mark(s.GoalId);
                    break;
                case PlanReviewed r:
                    foreach (var goal in r.Goals)
                    {
                        Mark(goal.GoalId);
                    }

                    break;
            }

            if (summary is null)
            {
                return null; // erased
            }

            void Mark(Guid goalId)
            {
                if (late is { } on)
                {
                    goalsLate[goalId] = on;
                }
            }
        }

        return summary is null ? null : new CaseAsOf(day, summary)
        {
            CaseRecordedOn = caseLate,
            HousingRecordedOn = housingLate,
            ResidenceRecordedOn = residenceLate,
            VerdictRecordedOn = verdictLate,
            StatusRecordedOn = statusLate,
            GoalsRecordedOn = goalsLate,
            ConsultationsRecordedLater = consultationsLate,
        };
    }

    private static readonly ConcurrentDictionary<Type, MethodInfo?> ApplyMethods = new();

    /// <summary>One event applied the way the inline projection applies it (<see cref="CaseSummaryProjection"/>).</summary>
    private static CaseSummary? Apply(CaseSummary? current, ICaseEvent e)
    {
        if (e is CaseOpened opened)
        {
            return CaseSummaryProjection.Create(new Event<CaseOpened>(opened));
        }

        if (e is DataProtection.CaseErased)
        {
            return null;
        }

        var apply = ApplyMethods.GetOrAdd(e.GetType(), type => typeof(CaseSummaryProjection).GetMethod(
            nameof(CaseSummaryProjection.Apply), BindingFlags.Public | BindingFlags.Static, [type, typeof(CaseSummary)]));
        return apply is null ? current : (CaseSummary)apply.Invoke(null, [e, current])!;
    }
}
