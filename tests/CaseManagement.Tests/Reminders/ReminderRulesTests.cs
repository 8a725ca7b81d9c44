using CaseManagement.Common;
using CaseManagement.Reminders;
using NodaTime;

namespace CaseManagement.Tests.Reminders;

/// <summary>Each reminder kind is due exactly from its day on (local dates, Europe/Berlin).</summary>
public sealed class ReminderRulesTests
{
    private static readonly ReminderSettings Settings = new();
    private static readonly Guid GoalId = Guid.NewGuid();
    private static readonly Guid StepId = Guid.NewGuid();
    private static readonly Guid RequestId = Guid.NewGuid();

    private static CaseSummary Case(CaseStatus status = CaseStatus.Open) => new()
    {
        Id = Guid.NewGuid(),
        Status = status,
        SupportStart = new LocalDate(2024, 1, 15),
        SupportEnd = new LocalDate(2027, 1, 14),
        LastContact = new LocalDate(2026, 2, 2),
        NextReviewOn = new LocalDate(2026, 4, 1),
        ResidenceValidUntil = new LocalDate(2026, 6, 30),
        ResidenceChangedOn = new LocalDate(2026, 10, 25),
        Consent = new Consent(new LocalDate(2024, 5, 10), [ConsentScope.Counselling], "2024-01"),
        Goals =
        [
            new GoalView(GoalId, FieldOfAction.Language, "B1", new LocalDate(2025, 1, 1), new LocalDate(2026, 5, 31), new LocalDate(2026, 3, 29), GoalStatus.InProgress, null)
            {
                Steps = [new StepView(StepId, "Anmelden", StepResponsible.Client, null, new LocalDate(2026, 3, 30), null)],
            },
        ],
        // Friday 20.03.2026, 23:30 in Berlin (22:30 UTC): the Berlin date counts.
        PendingRequests = [new ApprovalRequestView(RequestId, ApprovalKind.IndividualDecision, "…", Guid.NewGuid(), Instant.FromUtc(2026, 3, 20, 22, 30))],
    };

    public static TheoryData<ReminderKind, string> DueDays => new()
    {
        { ReminderKind.GoalTargetReached, "2026-05-31" },
        { ReminderKind.GoalReviewDue, "2026-03-29" },   // the night the clocks go forward
        { ReminderKind.StepDue, "2026-03-30" },
        { ReminderKind.PlanReviewDue, "2026-04-01" },
        { ReminderKind.NoContact, "2026-03-16" },       // 6 weeks after 02.02.
        { ReminderKind.SupportEnding, "2026-10-14" },   // 3 months before 14.01.2027
        { ReminderKind.ResidenceExpiring, "2026-05-05" }, // 8 weeks before 30.06.
        { ReminderKind.ConsentRenewal, "2026-04-12" },  // 24 months after 10.05.2024, 4 weeks ahead
        { ReminderKind.ApprovalWaiting, "2026-03-27" }, // 5 working days after Friday 20.03.
        { ReminderKind.EligibilityRecheck, "2026-10-25" }, // the day of the status change, the night the clocks go back
    };

    [Fact]
    public void A_status_change_just_after_midnight_in_Berlin_counts_for_the_Berlin_day()
    {
        // 24.10.2026 22:30 UTC is 25.10.2026 00:30 in Berlin (still summer time).
        var changed = new ResidenceStatusChanged(Guid.NewGuid(), new ResidenceStatus(ResidenceKind.SubsidiaryProtection, null), Guid.NewGuid(), Instant.FromUtc(2026, 10, 24, 22, 30));
        var summary = CaseSummaryProjection.Apply(changed, Case());
        Assert.Equal(new LocalDate(2026, 10, 25), summary.ResidenceChangedOn);
    }

    [Fact]
    public void An_organisations_own_thresholds_move_the_due_days()
    {
        var own = new ReminderSettings { NoContactWeeks = 2, EligibilityRecheckDays = 3, ResidenceExpiringWeeks = 12 };
        var all = ReminderRules.Due(Case(), new LocalDate(2026, 12, 31), own, Time.Berlin).ToDictionary(r => r.Kind, r => r.DueOn);

        Assert.Equal(new LocalDate(2026, 2, 16), all[ReminderKind.NoContact]);
        Assert.Equal(new LocalDate(2026, 10, 28), all[ReminderKind.EligibilityRecheck]);
        Assert.Equal(new LocalDate(2026, 4, 7), all[ReminderKind.ResidenceExpiring]);
    }

    [Theory]
    [MemberData(nameof(DueDays))]
    public void A_reminder_is_due_from_its_day_on_and_not_the_day_before(ReminderKind kind, string day)
    {
        var due = LocalDate.FromDateOnly(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
        var c = Case();

        Assert.DoesNotContain(ReminderRules.Due(c, due.PlusDays(-1), Settings, Time.Berlin), r => r.Kind == kind);
        var reminder = Assert.Single(ReminderRules.Due(c, due, Settings, Time.Berlin), r => r.Kind == kind);
        Assert.Equal(due, reminder.DueOn);
        // The key stays the same on later days, so a later scan finds the same reminder.
        Assert.Equal(reminder, Assert.Single(ReminderRules.Due(c, due.PlusDays(10), Settings, Time.Berlin), r => r.Kind == kind));
    }

    [Fact]
    public void The_approval_reminder_goes_to_the_lead_everything_else_to_the_manager()
    {
        var all = ReminderRules.Due(Case(), new LocalDate(2026, 12, 31), Settings, Time.Berlin).ToList();

        Assert.Equal(ReminderAudience.TeamLead, all.Single(r => r.Kind == ReminderKind.ApprovalWaiting).Audience);
        Assert.All(all.Where(r => r.Kind != ReminderKind.ApprovalWaiting), r => Assert.Equal(ReminderAudience.Manager, r.Audience));
        Assert.Equal((GoalId, StepId, RequestId),
            (all.Single(r => r.Kind == ReminderKind.GoalReviewDue).SubjectId, all.Single(r => r.Kind == ReminderKind.StepDue).SubjectId, all.Single(r => r.Kind == ReminderKind.ApprovalWaiting).SubjectId));
    }

    [Theory]
    [InlineData(CaseStatus.Paused)]
    [InlineData(CaseStatus.Closed)]
    public void Paused_and_closed_cases_remind_of_nothing(CaseStatus status) =>
        Assert.Empty(ReminderRules.Due(Case(status), new LocalDate(2026, 12, 31), Settings, Time.Berlin));

    [Fact]
    public void A_done_step_and_a_finished_goal_remind_of_nothing()
    {
        var c = Case() with
        {
            Goals = [Case().Goals[0] with { Status = GoalStatus.Achieved, Steps = [Case().Goals[0].Steps[0] with { CompletedOn = new LocalDate(2026, 3, 1) }] }],
        };

        Assert.DoesNotContain(ReminderRules.Due(c, new LocalDate(2026, 12, 31), Settings, Time.Berlin), r => r.SubjectId == GoalId || r.SubjectId == StepId);
    }

    [Theory]
    [InlineData("2026-03-20", 5, "2026-03-27")]
    [InlineData("2026-03-21", 1, "2026-03-23")]
    [InlineData("2026-10-23", 2, "2026-10-27")]
    public void Working_days_skip_weekends(string start, int days, string expected) =>
        Assert.Equal(LocalDate.FromDateOnly(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)),
            ReminderRules.PlusWorkingDays(LocalDate.FromDateOnly(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture)), days));
}
