namespace CaseManagement.Reminders;

/// <summary>What a reminder is about.</summary>
public enum ReminderKind
{
    GoalTargetReached,
    GoalReviewDue,
    PlanReviewDue,
    StepDue,
    NoContact,
    SupportEnding,
    ResidenceExpiring,
    ConsentRenewal,
    ApprovalWaiting,
    EligibilityRecheck,

    /// <summary>Termin morgen: a planned appointment of the case is tomorrow (subject: the appointment).</summary>
    AppointmentTomorrow,
}

/// <summary>Who gets the reminder: the case's manager, or the lead of the manager's team.</summary>
public enum ReminderAudience
{
    Manager,
    TeamLead,
}

/// <summary>
/// Thresholds and daily time of the reminders. The configuration section <c>Reminders</c> holds the
/// defaults; an organisation's administrators can set its own (<see cref="OrganisationReminderSettings"/>).
/// </summary>
public sealed record ReminderSettings
{
    public const string Section = "Reminders";

    public int NoContactWeeks { get; init; } = 6;

    public int SupportEndingMonths { get; init; } = 3;

    public int ResidenceExpiringWeeks { get; init; } = 8;

    public int ConsentValidMonths { get; init; } = 24;

    public int ConsentRenewalNoticeWeeks { get; init; } = 4;

    public int ApprovalWaitingWorkingDays { get; init; } = 5;

    /// <summary>Days after a residence status change until eligibility is to be re-checked (0: the same day).</summary>
    public int EligibilityRecheckDays { get; init; }

    /// <summary>Local time (Europe/Berlin) of the daily scan.</summary>
    public TimeOnly DailyAt { get; init; } = new(6, 30);
}

/// <summary>
/// A reminder that is due. (Kind, case, subject, due date) is its natural key: the same key is created
/// once, however often or on how many nodes the scan runs.
/// </summary>
public sealed record DueReminder(ReminderKind Kind, Guid CaseId, Guid SubjectId, LocalDate DueOn, ReminderAudience Audience);

/// <summary>Pure rules: which reminders of a case are due on a given local day.</summary>
public static class ReminderRules
{
    public static string Label(ReminderKind kind) => Labels.Of(kind);

    /// <summary>An open case that may be processed (not restricted, consent not withdrawn).</summary>
    public static bool IsActive(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Status == CaseStatus.Open && c.Restriction is null && !c.CounsellingConsentWithdrawn;
    }

    public static IEnumerable<DueReminder> Due(CaseSummary c, LocalDate today, ReminderSettings settings, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(settings);
        return Candidates(c, today, settings, zone).Where(r => r.DueOn <= today);
    }

    /// <summary>
    /// The first day after <paramref name="today"/> on which the rules make a reminder of the case due that they do not make
    /// due today (null: none, as the case is now). The daily run evaluates a case again on that day or after a change of it.
    /// </summary>
    public static LocalDate? NextDay(CaseSummary c, IEnumerable<AppointmentView> appointments, LocalDate today, ReminderSettings settings, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(appointments);
        ArgumentNullException.ThrowIfNull(settings);
        if (!IsActive(c))
        {
            return null;
        }

        var days = Candidates(c, null, settings, zone)
            .Where(r => r.DueOn > today && (r.Kind != ReminderKind.SupportEnding || r.DueOn <= c.SupportEnd))
            .Select(r => r.DueOn)
            .Concat(appointments.Where(a => a.Status == AppointmentStatus.Scheduled && a.Start.Date > today.PlusDays(1))
                .Select(a => a.Start.Date.PlusDays(-1)))
            .ToList();
        return days.Count == 0 ? null : days.Min();
    }

    /// <summary>
    /// Every reminder the case holds now with its day, due or not (<paramref name="today"/>: the day asked, which ends
    /// the support-ending reminder after the support end; null: every day).
    /// </summary>
    private static IEnumerable<DueReminder> Candidates(CaseSummary c, LocalDate? today, ReminderSettings settings, DateTimeZone zone)
    {
        // Paused and closed cases remind of nothing; neither do cases whose processing is restricted (Art. 18) or
        // whose client withdrew consent: nothing may be done with them.
        if (!IsActive(c))
        {
            yield break;
        }

        DueReminder? When(ReminderKind kind, Guid subject, LocalDate? dueOn, ReminderAudience audience = ReminderAudience.Manager) =>
            dueOn is { } due ? new DueReminder(kind, c.Id, subject, due, audience) : null;

        var candidates = new List<DueReminder?>();
        foreach (var goal in c.Goals.Where(g => !Goals.IsFinal(g.Status)))
        {
            candidates.Add(When(ReminderKind.GoalTargetReached, goal.Id, goal.TargetDate));
            candidates.Add(When(ReminderKind.GoalReviewDue, goal.Id, goal.NextReview));
            candidates.AddRange(goal.Steps.Where(s => s.CompletedOn is null).Select(s => When(ReminderKind.StepDue, s.Id, s.DueDate)));
        }

        candidates.Add(When(ReminderKind.PlanReviewDue, c.Id, c.NextReviewOn));
        candidates.Add(When(ReminderKind.NoContact, c.Id, (c.LastContact ?? c.SupportStart).PlusClamped(Period.FromWeeks(settings.NoContactWeeks))));
        if (today is null || today <= c.SupportEnd)
        {
            candidates.Add(When(ReminderKind.SupportEnding, c.Id, c.SupportEnd.PlusClamped(Period.FromMonths(-settings.SupportEndingMonths))));
        }

        if (c.ResidenceValidUntil is { } validUntil)
        {
            candidates.Add(When(ReminderKind.ResidenceExpiring, c.Id, validUntil.PlusClamped(Period.FromWeeks(-settings.ResidenceExpiringWeeks))));
        }

        if (c.ResidenceChangedOn is { } changedOn)
        {
            candidates.Add(When(ReminderKind.EligibilityRecheck, c.Id, changedOn.PlusClamped(Period.FromDays(settings.EligibilityRecheckDays))));
        }

        if (c.Consent is { } consent)
        {
            candidates.Add(When(ReminderKind.ConsentRenewal, c.Id, consent.GivenOn.PlusClamped(Period.FromMonths(settings.ConsentValidMonths)).PlusClamped(Period.FromWeeks(-settings.ConsentRenewalNoticeWeeks))));
        }

        foreach (var request in c.PendingRequests)
        {
            candidates.Add(When(ReminderKind.ApprovalWaiting, request.Id,
                PlusWorkingDays(request.RequestedAt.InZone(zone).Date, settings.ApprovalWaitingWorkingDays), ReminderAudience.TeamLead));
        }

        foreach (var reminder in candidates.OfType<DueReminder>())
        {
            yield return reminder;
        }
    }

    /// <summary>
    /// Termin morgen: each planned appointment of an active case on the day after <paramref name="today"/>, due today, for
    /// the case's manager. Only the day before: an appointment that was missed by the run is not reminded of afterwards.
    /// </summary>
    public static IEnumerable<DueReminder> AppointmentsTomorrow(CaseSummary c, IEnumerable<AppointmentView> appointments, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(appointments);
        if (!IsActive(c) || today == LocalDate.MaxIsoValue)
        {
            return [];
        }

        var tomorrow = today.PlusDays(1);
        return appointments.Where(a => a.Status == AppointmentStatus.Scheduled && a.Start.Date == tomorrow)
            .Select(a => new DueReminder(ReminderKind.AppointmentTomorrow, c.Id, a.Id, today, ReminderAudience.Manager)).ToList();
    }

    /// <summary>The day <paramref name="days"/> working days (Monday to Friday) after <paramref name="start"/>.</summary>
    public static LocalDate PlusWorkingDays(LocalDate start, int days)
    {
        var day = start;
        for (var counted = 0; counted < days;)
        {
            day = day.PlusClamped(Period.FromDays(1));
            if (day == LocalDate.MaxIsoValue)
            {
                break;
            }

            if (day.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
            {
                counted++;
            }
        }

        return day;
    }
}
