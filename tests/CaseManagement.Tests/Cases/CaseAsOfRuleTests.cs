using NodaTime;

namespace CaseManagement.Tests.Cases;

/// <summary>The as-of rule (docs/as-of.md) as a pure function over events: by the days the facts took effect, not the days they were recorded.</summary>
public sealed class CaseAsOfRuleTests
{
    private static readonly Guid Case = Guid.NewGuid();
    private static readonly Guid Manager = Guid.NewGuid();
    private static readonly PersonalData Person = new("Amal", "Haddad", new LocalDate(1990, 5, 17), Gender.Female, "SY", ["ar"], null);

    /// <summary>A moment on a day in Berlin (mid-morning).</summary>
    private static Instant On(int month, int day) => new LocalDateTime(2026, month, day, 10, 0).InZoneLeniently(Time.Berlin).ToInstant();

    private static LocalDate Day(int month, int day) => new(2026, month, day);

    /// <summary>Intake on 1 February (support from 10 January, in the AU since 1 January), eligible.</summary>
    private static List<ICaseEvent> Intake(int month = 2, int day = 1) =>
    [
        new CaseOpened(Case, "2026-0001", Person, new Housing(HousingType.FollowUpAccommodation, Day(1, 1)),
            new ResidenceStatus(ResidenceKind.RefugeeProtection, null), Day(1, 10), Manager, Manager, On(month, day)),
        new EligibilityEvaluated(Case, EligibilityVerdict.Eligible, [], Day(month, day), Manager, On(month, day)),
    ];

    private static IEnumerable<ICaseEvent> Move(HousingType type, LocalDate since, Instant recordedAt, EligibilityVerdict verdict) =>
    [
        new HousingChanged(Case, new Housing(type, since), Manager, recordedAt),
        new EligibilityEvaluated(Case, verdict, [], recordedAt.InZone(Time.Berlin).Date, Manager, recordedAt),
    ];

    [Fact]
    public void A_move_recorded_a_week_later_counts_from_the_move_date_and_says_when_it_was_recorded()
    {
        // Moved into private housing on 1 November; the manager records it on 8 November.
        var events = Intake().Concat(Move(HousingType.PrivateHousing, Day(11, 1), On(11, 8), EligibilityVerdict.NotEligible)).ToList();

        var before = CaseAsOfRule.Build(events, Day(10, 31))!;
        Assert.Equal((HousingType.FollowUpAccommodation, EligibilityVerdict.Eligible), (before.Case.Housing, before.Case.Verdict));
        Assert.Null(before.HousingRecordedOn);

        // On 3 November the client already lived in private housing (and so was no longer in the target group),
        // although nobody had recorded it yet.
        var moved = CaseAsOfRule.Build(events, Day(11, 3))!;
        Assert.Equal((HousingType.PrivateHousing, Day(11, 1)), (moved.Case.Housing, moved.Case.HousingSince));
        Assert.Equal(EligibilityVerdict.NotEligible, moved.Case.Verdict);
        Assert.Equal(Day(11, 8), moved.HousingRecordedOn);
        Assert.Equal(Day(11, 8), moved.VerdictRecordedOn);
        Assert.Null(moved.CaseRecordedOn);

        // From the day it was recorded on it is no longer "recorded later".
        var known = CaseAsOfRule.Build(events, Day(11, 8))!;
        Assert.Equal(HousingType.PrivateHousing, known.Case.Housing);
        Assert.Null(known.HousingRecordedOn);
    }

    [Fact]
    public void A_correction_replaces_the_wrong_entry_for_every_day_both_cover()
    {
        // Recorded on 2 November as preliminary accommodation since 1 November; corrected on 9 November:
        // it was private housing, and the move was on 28 October.
        var events = Intake()
            .Concat(Move(HousingType.PreliminaryAccommodation, Day(11, 1), On(11, 2), EligibilityVerdict.NotEligible))
            .Concat(Move(HousingType.PrivateHousing, Day(10, 28), On(11, 9), EligibilityVerdict.NotEligible))
            .ToList();

        var early = CaseAsOfRule.Build(events, Day(10, 29))!;
        Assert.Equal((HousingType.PrivateHousing, Day(10, 28), Day(11, 9)), (early.Case.Housing, early.Case.HousingSince, early.HousingRecordedOn));

        // Both entries cover 5 November: the later one (the correction) wins, with the day it was recorded.
        var both = CaseAsOfRule.Build(events, Day(11, 5))!;
        Assert.Equal((HousingType.PrivateHousing, Day(11, 9)), (both.Case.Housing, both.HousingRecordedOn));

        // As of today the view is the case as it stands: the latest entry.
        var today = CaseAsOfRule.Build(events, Day(12, 6))!;
        Assert.Equal((HousingType.PrivateHousing, Day(10, 28)), (today.Case.Housing, today.Case.HousingSince));
        Assert.Null(today.HousingRecordedOn);

        Assert.Equal(HousingType.FollowUpAccommodation, CaseAsOfRule.Build(events, Day(10, 27))!.Case.Housing);
    }

    [Fact]
    public void Facts_that_take_effect_after_the_day_are_not_shown()
    {
        var goal = Guid.NewGuid();
        var events = Intake()
            .Append(new GoalAgreed(Case, goal, FieldOfAction.Language, "B1 erreichen", Day(3, 2), Day(12, 31), null, Manager, On(3, 2)))
            .Append(new ConsultationRecorded(Case, Guid.NewGuid(), Day(3, 20), 45, ConsultationMode.Office, [FieldOfAction.Language], null, null, Manager, On(3, 20)))
            .ToList();

        var asOf = CaseAsOfRule.Build(events, Day(3, 1))!;
        Assert.Empty(asOf.Case.Goals);
        Assert.Empty(asOf.Case.Consultations);
        Assert.Single(CaseAsOfRule.Build(events, Day(3, 2))!.Case.Goals);
        Assert.Empty(CaseAsOfRule.Build(events, Day(3, 19))!.Case.Consultations);
    }

    [Fact]
    public void The_case_exists_from_its_support_start_even_when_it_was_recorded_later()
    {
        var events = Intake(month: 2, day: 1);

        Assert.Null(CaseAsOfRule.Build(events, Day(1, 9)));
        var first = CaseAsOfRule.Build(events, Day(1, 10))!;
        Assert.Equal((Day(2, 1), Day(2, 1)), (first.CaseRecordedOn, first.HousingRecordedOn));
        Assert.Equal(EligibilityVerdict.Eligible, first.Case.Verdict);
        Assert.Null(CaseAsOfRule.Build(events, Day(2, 1))!.CaseRecordedOn);
    }

    [Fact]
    public void Goals_and_consultations_count_from_their_own_dates()
    {
        var goal = Guid.NewGuid();
        var events = Intake()
            // Agreed on 2 March, entered on 10 March; achieved, as the review of 15 June found, entered on 20 June.
            .Append(new GoalAgreed(Case, goal, FieldOfAction.Language, "B1 erreichen", Day(3, 2), Day(12, 31), null, Manager, On(3, 10)))
            .Append(new ConsultationRecorded(Case, Guid.NewGuid(), Day(3, 3), 45, ConsultationMode.Office, [FieldOfAction.Language], null, null, Manager, On(3, 12)))
            .Append(new PlanReviewed(Case, Guid.NewGuid(), Day(6, 15), "Fortschreibung", [new GoalReview(goal, ReviewOutcome.Close, null, null, GoalStatus.Achieved, null)], null, Manager, On(6, 20)))
            .ToList();

        var march = CaseAsOfRule.Build(events, Day(3, 5))!;
        Assert.Equal(GoalStatus.Agreed, Assert.Single(march.Case.Goals).Status);
        Assert.Equal(Day(3, 10), march.GoalsRecordedOn[goal]);
        Assert.Equal((1, 1), (march.Case.Consultations.Count, march.ConsultationsRecordedLater));

        Assert.Equal(GoalStatus.Agreed, Assert.Single(CaseAsOfRule.Build(events, Day(6, 14))!.Case.Goals).Status);
        var june = CaseAsOfRule.Build(events, Day(6, 16))!;
        var achieved = Assert.Single(june.Case.Goals);
        Assert.Equal((GoalStatus.Achieved, Day(6, 15)), (achieved.Status, achieved.FinishedOn));
        Assert.Equal(Day(6, 20), june.GoalsRecordedOn[goal]);
        Assert.Equal(0, june.ConsultationsRecordedLater);
    }

    [Fact]
    public void A_closing_counts_from_its_closing_day_and_the_rest_from_the_day_it_was_recorded()
    {
        var events = Intake()
            .Append(new CasePaused(Case, null, Manager, On(5, 4)))
            .Append(new CaseClosed(Case, ClosingReason.MovedAway, null, Day(5, 1), Manager, On(5, 6)))
            .ToList();

        Assert.Equal(CaseStatus.Open, CaseAsOfRule.Build(events, Day(4, 30))!.Case.Status);
        var closed = CaseAsOfRule.Build(events, Day(5, 2))!;
        Assert.Equal((CaseStatus.Closed, Day(5, 6)), (closed.Case.Status, closed.StatusRecordedOn));
        // The pause recorded on 4 May is older than the closing recorded on 6 May: the closing stands.
        Assert.Equal(CaseStatus.Closed, CaseAsOfRule.Build(events, Day(5, 5))!.Case.Status);
        Assert.Equal(Day(5, 1), CaseAsOfRule.EffectiveOn(events[^1]));
        Assert.Equal(Day(5, 4), CaseAsOfRule.EffectiveOn(events[^2]));
    }
}
