using NodaTime;

namespace CaseManagement.Tests.Reporting;

/// <summary>The funding report's figures over hand-built read models with known answers, including the period boundaries.</summary>
public sealed class FundingReportBuilderTests
{
    private static readonly LocalDate From = new(2025, 1, 1);
    private static readonly LocalDate To = new(2025, 12, 31);

    private static CaseSummary Case(
        LocalDate start, LocalDate? closedOn = null, Gender gender = Gender.Female, string? nationality = "SY", LocalDate? birth = null, ClosingReason? reason = null) => new()
    {
        Id = Guid.NewGuid(),
        SupportStart = start,
        SupportEnd = start.PlusYears(3).PlusDays(-1),
        ClosedOn = closedOn,
        ClosingReason = closedOn is null ? null : reason ?? ClosingReason.MovedAway,
        Status = closedOn is null ? CaseStatus.Open : CaseStatus.Closed,
        Gender = gender,
        Nationality = nationality,
        BirthDate = birth ?? new LocalDate(1990, 6, 1),
        Residence = ResidenceKind.RefugeeProtection,
        Housing = HousingType.FollowUpAccommodation,
    };

    private static ConsultationView Contact(LocalDate day, int minutes, ConsultationMode mode = ConsultationMode.Office, string? interpreter = null) =>
        new(Guid.NewGuid(), day, minutes, mode, [], interpreter, null);

    private static Dictionary<string, decimal> Section(IReadOnlyList<ReportSection> report, string key) =>
        report.Single(s => s.Key == key).Lines.ToDictionary(l => l.Label, l => l.Value);

    [Fact]
    public void Persons_new_and_closed_cases_count_by_the_period_boundaries()
    {
        var cases = new[]
        {
            Case(new LocalDate(2025, 1, 1)),                                     // starts on the first day: new, counselled
            Case(new LocalDate(2025, 12, 31), gender: Gender.Male),              // starts on the last day: new, counselled
            Case(new LocalDate(2026, 1, 1)),                                     // starts after the period: not counted
            Case(new LocalDate(2023, 5, 1), closedOn: new LocalDate(2024, 12, 31)), // closed the day before: not counselled
            Case(new LocalDate(2023, 5, 1), closedOn: new LocalDate(2025, 1, 1), reason: ClosingReason.GoalsReached), // closed on the first day
            Case(new LocalDate(2022, 1, 10), gender: Gender.Diverse, nationality: null, birth: new LocalDate(2008, 1, 1)), // ends 09.01.2025
        };

        var report = FundingReportBuilder.Build(cases, From, To);

        Assert.Equal(4, Section(report, "persons")["insgesamt"]);
        var cs = Section(report, "cases");
        Assert.Equal((2, 1, 1), (cs["neu aufgenommen (Beginn der Begleitung im Zeitraum)"], cs["abgeschlossen"], cs["Förderzeitraum endet im Zeitraum"]));
        Assert.Equal(1, Section(report, "closing")["Ziele erreicht"]);
        Assert.Equal(0, Section(report, "closing")["weggezogen"]);
        var gender = Section(report, "gender");
        Assert.Equal((2, 1, 1, 0), (gender["weiblich"], gender["männlich"], gender["divers"], gender["ohne Angabe"]));
        var age = Section(report, "age");
        Assert.Equal((1, 3), (age["unter 18"], age["27 bis 44"]));
        var nationality = Section(report, "nationality");
        Assert.Equal((3, 1), (nationality["Syrien"], nationality["unbekannt"]));
    }

    [Fact]
    public void Beratene_Personen_are_persons_of_the_target_group_only()
    {
        var start = new LocalDate(2025, 3, 1);
        var cases = new[]
        {
            Case(start) with { Verdict = EligibilityVerdict.Eligible },                                                      // counts
            Case(start) with { Verdict = EligibilityVerdict.NotEligible, Residence = ResidenceKind.Toleration },           // not in the target group
            Case(start) with { Verdict = EligibilityVerdict.NeedsIndividualDecision },                                       // decision pending
            Case(start) with { Verdict = EligibilityVerdict.NeedsIndividualDecision, IndividualDecisionApproved = true },    // approved: counts
        };

        var report = FundingReportBuilder.Build(cases, From, To);

        Assert.Equal(2, Section(report, "persons")["insgesamt"]);
        Assert.Equal(2, Section(report, "gender").Values.Sum());
        Assert.Equal(0, Section(report, "residence")[EligibilityCheck.ResidenceLabel(ResidenceKind.Toleration)]);
        Assert.Equal(4, Section(report, "cases")["neu aufgenommen (Beginn der Begleitung im Zeitraum)"]); // cases still count as cases
    }

    [Fact]
    public void An_erased_record_keeps_whether_the_person_was_in_the_target_group()
    {
        var notEligible = Case(new LocalDate(2025, 3, 1)) with { Verdict = EligibilityVerdict.NotEligible };
        var record = CaseManagement.DataProtection.ErasedCaseRecord.Of(notEligible, new LocalDate(2025, 6, 1));

        Assert.False(record.ToStatistics(Guid.NewGuid()).InTargetGroup);
        Assert.True(CaseManagement.DataProtection.ErasedCaseRecord.Of(Case(new LocalDate(2025, 3, 1)), new LocalDate(2025, 6, 1)).ToStatistics(Guid.NewGuid()).InTargetGroup);
    }

    [Fact]
    public void Consultations_hours_interpreters_and_modes_count_inside_the_period_only()
    {
        var open = Case(new LocalDate(2024, 6, 1)) with
        {
            Consultations =
            [
                Contact(new LocalDate(2024, 12, 31), 60),
                Contact(new LocalDate(2025, 1, 1), 90, ConsultationMode.HomeVisit, "ar"),
                Contact(new LocalDate(2025, 12, 31), 45, ConsultationMode.Phone),
                Contact(new LocalDate(2026, 1, 1), 30),
            ],
        };

        var consultations = Section(FundingReportBuilder.Build([open], From, To), "consultations");

        Assert.Equal((2, 2.3m, 1), (consultations["Anzahl"], consultations["Stunden"], consultations["mit Dolmetschung"]));
        Assert.Equal((0, 1, 1), (consultations["Art: im Büro"], consultations["Art: Hausbesuch / aufsuchend"], consultations["Art: Telefon"]));
    }

    [Fact]
    public void Goals_per_field_and_the_average_time_to_achievement()
    {
        var withGoals = Case(new LocalDate(2024, 6, 1)) with
        {
            Goals =
            [
                new GoalView(Guid.NewGuid(), FieldOfAction.Language, "B1", new LocalDate(2025, 1, 10), new LocalDate(2025, 12, 1), null, GoalStatus.Achieved, null)
                    { FinishedOn = new LocalDate(2025, 3, 11) },  // 60 days
                new GoalView(Guid.NewGuid(), FieldOfAction.Language, "B2", new LocalDate(2024, 11, 1), new LocalDate(2025, 12, 1), null, GoalStatus.Achieved, null)
                    { FinishedOn = new LocalDate(2025, 1, 30) },  // 90 days, agreed before the period
                new GoalView(Guid.NewGuid(), FieldOfAction.LabourMarket, "Job", new LocalDate(2025, 2, 1), new LocalDate(2026, 2, 1), null, GoalStatus.Dropped, "Umzug")
                    { FinishedOn = new LocalDate(2026, 1, 2) },   // dropped after the period: only "agreed" counts
                new GoalView(Guid.NewGuid(), FieldOfAction.Housing, "Wohnung", new LocalDate(2025, 4, 1), new LocalDate(2026, 2, 1), null, GoalStatus.PartlyAchieved, null)
                    { FinishedOn = new LocalDate(2025, 12, 31) },
            ],
        };

        var report = FundingReportBuilder.Build([withGoals], From, To);

        var language = Section(report, "goals-Language");
        Assert.Equal((1, 2), (language["vereinbart"], language["erreicht"]));
        var labour = Section(report, "goals-LabourMarket");
        Assert.Equal((1, 0), (labour["vereinbart"], labour["aufgegeben"]));
        Assert.Equal(1, Section(report, "goals-Housing")["teilweise erreicht"]);
        var duration = Section(report, "duration");
        Assert.Equal((2, 75m), (duration["erreichte Ziele"], duration["durchschnittlich Tage von der Vereinbarung bis zur Erreichung"]));
    }
}
