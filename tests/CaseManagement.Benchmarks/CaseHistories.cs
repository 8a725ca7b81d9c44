using Bogus;
using CaseManagement.Common;
using NodaTime;

namespace CaseManagement.Benchmarks;

/// <summary>A generated event with the moment it happened.</summary>
public sealed record TimedEvent(object Data, Instant At);

/// <summary>One generated case: its stream and a few facts the scenarios pick cases by.</summary>
public sealed record GeneratedCase(Guid Id, string CaseNumber, Guid ManagerId, LocalDate SupportStart, bool Closed, IReadOnlyList<TimedEvent> Events);

/// <summary>
/// Realistic case histories, deterministic per seed and case: intake with contact and consent, profile and
/// language levels, 3–6 goals with steps and outcomes, a consultation every two to five weeks, a review
/// every six months, developments, referrals, some changes of housing and residence, pauses and closings.
/// Built from the same events (and for the intake the same pure decisions) the application writes.
/// </summary>
public sealed class CaseHistories(LocalDate today)
{
    private static readonly EligibilityRules Rules = new();
    private static readonly string[] Nationalities = ["SY", "SY", "SY", "AF", "AF", "UA", "UA", "IQ", "ER", "TR", "SO", "NG", "IR", "GE"];
    private static readonly string[] Languages = ["ar", "fa", "uk", "ru", "ti", "ku", "tr", "so", "en"];
    private static readonly ResidenceKind[] Residences =
    [
        ResidenceKind.RefugeeProtection, ResidenceKind.RefugeeProtection, ResidenceKind.SubsidiaryProtection, ResidenceKind.TemporaryProtection,
        ResidenceKind.TemporaryProtection, ResidenceKind.AsylumEntitlement, ResidenceKind.OtherResidencePermit, ResidenceKind.AsylumProcedurePending,
    ];

    public const int SupportDays = 3 * 365;

    /// <summary>The case <paramref name="index"/> of a manager; <paramref name="longHistory"/>: open, started three years ago (for the case-page scenarios).</summary>
    public GeneratedCase Generate(int seed, Guid managerId, string caseNumber, bool longHistory)
    {
        var random = new Random(seed);
        var faker = new Faker("de") { Random = new Randomizer(seed) };
        var events = new List<TimedEvent>();
        Guid NewId() => new(faker.Random.Bytes(16));
        Instant At(LocalDate day) => day.At(new LocalTime(8 + random.Next(0, 9), random.Next(0, 60))).InZoneLeniently(Time.Berlin).ToInstant();
        var caseId = NewId();

        var start = longHistory ? today.PlusDays(-SupportDays + 12) : today.PlusDays(-random.Next(7, SupportDays + 180));
        var supportEnd = start.PlusYears(ClientCase.SupportYears).PlusDays(-1);
        LocalDate? closedOn = supportEnd < today ? supportEnd : !longHistory && random.NextDouble() < 0.12 && (today - start).Days > 90
            ? start.PlusDays(random.Next(60, (today - start).Days)) : null;
        var end = closedOn ?? today;
        LocalDate Between(LocalDate from, int minDays, int maxDays) => from.PlusDays(random.Next(minDays, maxDays + 1));

        // Intake through the real decision: CaseOpened, EligibilityEvaluated, ContactDetailsChanged, ConsentRecorded.
        var gender = random.NextDouble() < 0.45 ? Gender.Female : Gender.Male;
        var person = new PersonalData(
            faker.Name.FirstName(gender == Gender.Female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male), faker.Name.LastName(),
            new LocalDate(random.Next(1960, 2008), random.Next(1, 13), random.Next(1, 29)), gender, faker.PickRandom(Nationalities),
            [faker.PickRandom(Languages)], random.NextDouble() < 0.5 ? faker.PickRandom(Languages) : null, start.PlusDays(-random.Next(200, 2000)));
        var opened = ClientCaseDecisions.Open(caseId, caseNumber, person,
            new Housing(HousingType.FollowUpAccommodation, start.PlusDays(-random.Next(10, 300))), new ResidenceStatus(faker.PickRandom(Residences), start.PlusYears(3)),
            start, managerId, Rules, start, managerId, At(start),
            new ContactDetails("+49 " + faker.Random.ReplaceNumbers("#### ######"), null, faker.Address.StreetAddress(), faker.Random.ReplaceNumbers("7####"), faker.Address.City()),
            new Consent(start, [ConsentScope.Counselling, ConsentScope.SharingWithServices], "2025-03"));
        var intakeAt = ((ICaseEvent)opened[0]).At;
        events.AddRange(opened.Select(e => new TimedEvent(e, intakeAt)));

        void Add(LocalDate day, Func<Instant, object> build)
        {
            if (day <= end)
            {
                var at = At(day);
                events.Add(new TimedEvent(build(at), at));
            }
        }

        var profileDay = Between(start, 3, 14);
        Add(profileDay, at => new ProfileUpdated(caseId, new ClientProfile(faker.Lorem.Sentence(8), faker.Lorem.Sentence(6), random.Next(4, 13), "Abschluss der Sekundarstufe",
            person.Nationality, faker.Name.JobTitle(), faker.Lorem.Sentence(10)), managerId, at));
        Add(Between(start, 1, 5), at => new PlanSigned(caseId, start.PlusDays(2), managerId, at));
        for (var day = profileDay; day <= end; day = Between(day, 200, 320))
        {
            var assessed = day;
            Add(day, at => new LanguageLevelAssessed(caseId, "de", (CefrLevel)Math.Min(5, (day - start).Days / 250), LevelBasis.Estimate, null, assessed, managerId, at));
        }

        // The plan: goals with steps, moved on and finished over time.
        var goals = new List<(Guid Id, FieldOfAction Field)>();
        for (var g = 0; g < random.Next(3, 7); g++)
        {
            var goalId = NewId();
            var field = (FieldOfAction)random.Next(0, 10);
            goals.Add((goalId, field));
            var agreedOn = Between(start, 5, 40);
            var target = agreedOn.PlusDays(random.Next(90, 540));
            Add(agreedOn, at => new GoalAgreed(caseId, goalId, field, faker.Lorem.Sentence(7), agreedOn, target, agreedOn.PlusMonths(3), managerId, at));
            for (var s = 0; s < random.Next(1, 4); s++)
            {
                var stepId = NewId();
                var due = Between(agreedOn, 20, 120);
                Add(agreedOn, at => new StepPlanned(caseId, goalId, stepId, faker.Lorem.Sentence(5), (StepResponsible)random.Next(0, 3), null, due, managerId, at));
                if (random.NextDouble() < 0.8)
                {
                    var done = Between(due, -10, 10);
                    Add(done < agreedOn ? agreedOn : done, at => new StepCompleted(caseId, goalId, stepId, done < agreedOn ? agreedOn : done, managerId, at));
                }
            }

            Add(Between(agreedOn, 14, 45), at => new GoalStatusChanged(caseId, goalId, GoalStatus.InProgress, null, managerId, at));
            var outcome = random.NextDouble() switch
            {
                < 0.55 => GoalStatus.Achieved,
                < 0.75 => GoalStatus.PartlyAchieved,
                < 0.90 => GoalStatus.NotAchieved,
                _ => GoalStatus.Dropped,
            };
            Add(Between(target, 46, 80), at => new GoalStatusChanged(caseId, goalId, outcome, outcome == GoalStatus.Dropped ? faker.Lorem.Sentence(6) : null, managerId, at));
        }

        // Consultations every two to five weeks, a review every six months, developments and referrals.
        for (var day = Between(start, 2, 10); day <= end; day = Between(day, 14, 35))
        {
            var date = day;
            var fields = goals.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Select(g => g.Field).Distinct().ToList();
            Add(day, at => new ConsultationRecorded(caseId, NewId(), date, 15 * random.Next(2, 7), (ConsultationMode)random.Next(0, 4), fields,
                random.NextDouble() < 0.4 ? person.Languages[0] : null, random.NextDouble() < 0.7 ? faker.Lorem.Sentence(12) : null, managerId, at));
        }

        for (var day = start.PlusMonths(6); day <= end; day = day.PlusMonths(6))
        {
            var date = day;
            Add(day, at => new PlanReviewed(caseId, NewId(), date, faker.Lorem.Sentences(2),
                goals.Select(g => new GoalReview(g.Id, ReviewOutcome.Continue, null, null, null, null)).ToList(), date.PlusMonths(6), managerId, at));
        }

        for (var day = Between(start, 60, 240); day <= end; day = Between(day, 180, 300))
        {
            var date = day;
            Add(day, at => new DevelopmentNoted(caseId, NewId(), date, faker.Lorem.Sentence(15), managerId, at));
        }

        for (var r = 0; r < random.Next(1, 5); r++)
        {
            var date = Between(start, 10, 365);
            var goal = goals[random.Next(goals.Count)].Id;
            Add(date, at => new ReferralMade(caseId, NewId(), goal, (RegularService)random.Next(0, 11), null, date, faker.Lorem.Sentence(6), managerId, at));
        }

        if (random.NextDouble() < 0.1)
        {
            var moved = Between(start, 90, 700);
            Add(moved, at => new HousingChanged(caseId, new Housing(HousingType.FollowUpAccommodation, moved), managerId, at));
            Add(moved, at => new EligibilityEvaluated(caseId, EligibilityVerdict.Eligible, ["Wohnt in der Anschlussunterbringung."], moved, managerId, at));
        }

        if (random.NextDouble() < 0.1)
        {
            var changed = Between(start, 90, 900);
            Add(changed, at => new ResidenceStatusChanged(caseId, new ResidenceStatus(ResidenceKind.SettlementPermit, null), managerId, at));
            Add(changed, at => new EligibilityEvaluated(caseId, EligibilityVerdict.Eligible, ["Niederlassungserlaubnis: Bleibeperspektive."], changed, managerId, at));
        }

        if (!longHistory && random.NextDouble() < 0.05)
        {
            var paused = Between(start, 100, 500);
            Add(paused, at => new CasePaused(caseId, faker.Lorem.Sentence(4), managerId, at));
            Add(paused.PlusDays(30), at => new CaseResumed(caseId, managerId, at));
        }

        if (closedOn is { } closed)
        {
            var reason = closed == supportEnd ? ClosingReason.GoalsReached : (ClosingReason)random.Next(0, 4);
            Add(closed, at => new CaseClosed(caseId, reason, null, closed, managerId, at));
        }

        // The stream in the order things happened (the intake first).
        var ordered = events.Take(opened.Length).Concat(events.Skip(opened.Length).OrderBy(e => e.At)).ToList();
        return new GeneratedCase(caseId, caseNumber, managerId, start, closedOn is not null, ordered);
    }
}
