using System.Globalization;
using Marten;

namespace CaseManagement.Reporting;

/// <summary>One line of the report: a label and its value (a count, hours or days).</summary>
public sealed record ReportLine(string Label, decimal Value);

/// <summary>A block of the report, e.g. "Beratene Personen nach Geschlecht".</summary>
public sealed record ReportSection(string Key, string Title, IReadOnlyList<ReportLine> Lines);

/// <summary>Verwendungsnachweis for a period and a scope (organisation, team or one manager).</summary>
public sealed record FundingReport(string Organisation, string Scope, LocalDate From, LocalDate To, LocalDate CreatedOn, IReadOnlyList<ReportSection> Sections);

/// <summary>
/// Builds the funding report from the case read models — a pure function, so every figure can be checked
/// against hand-built cases. The layout follows the state's sheet "Auswertung Zeitraum" as far as it is
/// known (docs/funding-report.md).
/// </summary>
public static class FundingReportBuilder
{
    public static IReadOnlyList<ReportSection> Build(IReadOnlyCollection<CaseSummary> cases, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(cases);
        bool In(LocalDate? day) => Within(day, from, to);
        var counselled = Counselled(cases, from, to);
        var consultations = counselled.SelectMany(c => ConsultationsIn(c, from, to)).ToList();
        var goals = cases.SelectMany(c => c.Goals).ToList();
        var achieved = goals.Where(g => g.Status == GoalStatus.Achieved && In(g.FinishedOn)).ToList();

        static ReportLine Line(string label, decimal value) => new(label, value);
        static IReadOnlyList<ReportLine> By<T>(IEnumerable<T> values, IEnumerable<T> all, Func<T, string> label) where T : notnull
        {
            var counts = values.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
            return all.Select(v => Line(label(v), counts.GetValueOrDefault(v))).ToList();
        }

        var nationalities = counselled.GroupBy(c => c.Nationality ?? "").Where(g => g.Key.Length > 0)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var top = nationalities.Take(10).Select(g => Line(CountryNames.Name(g.Key)!, g.Count())).ToList();
        top.Add(Line("sonstige", nationalities.Skip(10).Sum(g => g.Count())));
        top.Add(Line("unbekannt", counselled.Count(c => c.Nationality is null)));

        return
        [
            new("persons", "Beratene Personen im Zeitraum", [Line("insgesamt", counselled.Count)]),
            new("gender", "Beratene Personen nach Geschlecht", By(counselled.Select(c => c.Gender), Enum.GetValues<Gender>(), GenderLabel)),
            new("age", "Beratene Personen nach Altersgruppe (am Ende des Zeitraums)", By(counselled.Select(c => AgeGroup(c.BirthDate, to)), AgeGroups, g => g)),
            new("nationality", "Beratene Personen nach Staatsangehörigkeit (häufigste 10)", top),
            new("residence", "Beratene Personen nach Aufenthaltsstatus (aktueller Stand)",
                By(counselled.Select(c => c.Residence), Enum.GetValues<ResidenceKind>(), EligibilityCheck.ResidenceLabel)),
            new("housing", "Beratene Personen nach Wohnform (aktueller Stand)", By(counselled.Select(c => c.Housing), Enum.GetValues<HousingType>(), EligibilityCheck.HousingLabel)),
            new("cases", "Fälle", [
                Line("neu aufgenommen (Beginn der Begleitung im Zeitraum)", cases.Count(c => In(c.SupportStart))),
                Line("abgeschlossen", cases.Count(c => In(c.ClosedOn))),
                Line("Förderzeitraum endet im Zeitraum", counselled.Count(c => SupportPeriodEnds(c, from, to))),
            ]),
            new("closing", "Abgeschlossene Fälle nach Grund",
                By(cases.Where(c => In(c.ClosedOn) && c.ClosingReason is not null).Select(c => c.ClosingReason!.Value), Enum.GetValues<ClosingReason>(), CaseHistory.Closing)),
            new("consultations", "Beratungskontakte", [
                Line("Anzahl", consultations.Count),
                Line("Stunden", Math.Round(consultations.Sum(k => k.DurationMinutes) / 60m, 1, MidpointRounding.AwayFromZero)),
                Line("mit Dolmetschung", consultations.Count(k => k.InterpreterLanguage is not null)),
                .. By(consultations.Select(k => k.Mode), Enum.GetValues<ConsultationMode>(), m => "Art: " + RecordConsultationHandler.ModeLabel(m)),
            ]),
            .. Enum.GetValues<FieldOfAction>().Select(f => new ReportSection("goals-" + f, "Ziele: " + Goals.FieldLabel(f), [
                Line("vereinbart", goals.Count(g => g.Field == f && In(g.AgreedOn))),
                Line("erreicht", goals.Count(g => g.Field == f && g.Status == GoalStatus.Achieved && In(g.FinishedOn))),
                Line("teilweise erreicht", goals.Count(g => g.Field == f && g.Status == GoalStatus.PartlyAchieved && In(g.FinishedOn))),
                Line("nicht erreicht", goals.Count(g => g.Field == f && g.Status == GoalStatus.NotAchieved && In(g.FinishedOn))),
                Line("aufgegeben", goals.Count(g => g.Field == f && g.Status == GoalStatus.Dropped && In(g.FinishedOn))),
            ])),
            new("duration", "Dauer bis zur Zielerreichung", [
                Line("erreichte Ziele", achieved.Count),
                Line("durchschnittlich Tage von der Vereinbarung bis zur Erreichung",
                    achieved.Count == 0 ? 0 : Math.Round((decimal)achieved.Average(g => Period.Between(g.AgreedOn, g.FinishedOn!.Value, PeriodUnits.Days).Days), 1, MidpointRounding.AwayFromZero)),
            ]),
        ];
    }

    /// <summary>Whether <paramref name="day"/> lies in the period (both days included).</summary>
    public static bool Within(LocalDate? day, LocalDate from, LocalDate to) => day is { } d && d >= from && d <= to;

    /// <summary>
    /// Beratene Personen: persons of the programme's target group whose support started on or before the last day and
    /// did not end before the first (counselling ends with the closing, or at the latest with an erasure).
    /// </summary>
    public static List<CaseSummary> Counselled(IEnumerable<CaseSummary> cases, LocalDate from, LocalDate to) =>
        cases.Where(c => c.InTargetGroup && c.SupportStart <= to && ((c.ClosedOn ?? c.ErasedOn) is not { } end || end >= from)).ToList();

    /// <summary>Beratungskontakte of a counselled person in the period.</summary>
    public static IEnumerable<ConsultationView> ConsultationsIn(CaseSummary counselled, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(counselled);
        return counselled.Consultations.Where(k => Within(k.Date, from, to));
    }

    /// <summary>"Förderzeitraum endet im Zeitraum" (of a counselled person).</summary>
    public static bool SupportPeriodEnds(CaseSummary counselled, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(counselled);
        return Within(counselled.SupportEnd, from, to);
    }

    /// <summary>Neu erstellter Plan: the person's first goal was agreed in the period (the plan was written down then).</summary>
    public static bool NewPlan(CaseSummary person, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(person);
        return person.Goals.Count > 0 && Within(person.Goals.Min(g => g.AgreedOn), from, to);
    }

    /// <summary>
    /// Fortgeschriebener Plan: the plan existed before the period (a goal agreed before its first day) and was continued
    /// in it — a goal agreed, a goal reaching its final status, or the last review of the plan in the period.
    /// </summary>
    public static bool UpdatedPlan(CaseSummary person, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(person);
        return person.Goals.Any(g => g.AgreedOn < from)
               && (person.Goals.Any(g => Within(g.AgreedOn, from, to) || Within(g.FinishedOn, from, to)) || Within(person.LastReviewOn, from, to));
    }

    private static readonly string[] Title = ["Auswertung Zeitraum – Integrationsmanagement"];
    private static readonly string[] Header = ["Bereich", "Merkmal", "Wert"];

    public static readonly IReadOnlyList<string> AgeGroups = ["unter 18", "18 bis 26", "27 bis 44", "45 bis 64", "65 und älter"];

    public static string AgeGroup(LocalDate birth, LocalDate on)
    {
        var age = Period.Between(birth, on, PeriodUnits.Years).Years;
        return age switch
        {
            < 18 => AgeGroups[0],
            < 27 => AgeGroups[1],
            < 45 => AgeGroups[2],
            < 65 => AgeGroups[3],
            _ => AgeGroups[4],
        };
    }

    public static string GenderLabel(Gender gender) => Labels.Of(gender);

    /// <summary>The report as rows of a sheet: a header block, then per section its title and lines (also the CSV).</summary>
    public static IReadOnlyList<string[]> Rows(FundingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        List<string[]> rows =
        [
            Title,
            ["Träger", report.Organisation],
            ["Auswertung für", report.Scope],
            ["Zeitraum", $"{Time.Format(report.From)} – {Time.Format(report.To)}"],
            ["Erstellt am", Time.Format(report.CreatedOn)],
            [],
            Header,
        ];
        foreach (var section in report.Sections)
        {
            rows.AddRange(section.Lines.Select(l => new[] { section.Title, l.Label, l.Value.ToString(CultureInfo.GetCultureInfo("de-DE")) }));
        }

        return rows;
    }
}

/// <summary>The report for a period: the organisation (aggregate), the lead's team, or one manager of it.</summary>
public sealed record GetFundingReport(LocalDate? From, LocalDate? To, Guid? TeamId, Guid? ManagerId) : IQuery<Outcome<FundingReport>>;

public sealed class GetFundingReportHandler(IQuerySession session, AppDbContext db, ICurrentUser user, IClock clock)
    : IQueryHandler<GetFundingReport, Outcome<FundingReport>>
{
    public async ValueTask<Outcome<FundingReport>> Handle(GetFundingReport query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var team = await TeamRoster.OfSignedInLead(db, user, cancellationToken);
        var checks = new Checks();
        checks.Date(query.From, DateRange.Filter, nameof(GetFundingReport.From), "den Beginn des Zeitraums");
        checks.Date(query.To, DateRange.Filter, nameof(GetFundingReport.To), "das Ende des Zeitraums");
        if (checks.Failed)
        {
            return Outcome<FundingReport>.Failure(checks.Errors);
        }

        if (query.From is { } start && (query.To < start || query.To > start.PlusYears(3)))
        {
            checks.Add(nameof(GetFundingReport.To), Messages.Reports.PeriodThreeYears);
        }

        if (checks.Failed)
        {
            return Outcome<FundingReport>.Failure(checks.Errors);
        }

        if ((query.TeamId is { } teamId && teamId != user.TeamId) || (query.ManagerId is { } manager && !team.Contains(manager)))
        {
            // A lead sees the own team in detail; other teams only inside the organisation's aggregate.
            throw new NotFoundException("Team");
        }

        IReadOnlyCollection<CaseSummary> live = query.ManagerId is { } one
            ? await TeamCases.Of(session, [one], cancellationToken)
            : query.TeamId is not null
                ? await TeamCases.Of(session, team, cancellationToken)
                : await session.Query<CaseSummary>().ToListAsync(cancellationToken);
        // Erased cases keep counting through their pseudonymous record (DSGVO Art. 17 does not change the figures).
        var erased = (await session.Query<DataProtection.ErasedCase>().ToListAsync(cancellationToken))
            .Where(e => query.ManagerId is { } only ? e.Record.ManagerId == only : query.TeamId is null || team.Contains(e.Record.ManagerId))
            .Select(e => e.Record.ToStatistics(e.Id));
        IReadOnlyCollection<CaseSummary> cases = [.. live, .. erased];
        var names = await UserNames.Of(db, user.OrganisationId, query.ManagerId is { } m ? [m] : [], cancellationToken);
        var scope = query.ManagerId is { } who ? "Integrationsmanager:in " + names.GetValueOrDefault(who, "–")
            : query.TeamId is not null ? "eigenes Team"
            : "gesamte Organisation";
        var organisation = await OrganisationNames.Of(db, user.OrganisationId, cancellationToken);
        return Outcome<FundingReport>.Success(new FundingReport(
            organisation, scope, query.From!.Value, query.To!.Value, clock.Today(), FundingReportBuilder.Build(cases, query.From.Value, query.To.Value)));
    }
}
