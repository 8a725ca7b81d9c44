using System.Globalization;
using Marten;

namespace CaseManagement.Reporting;

/// <summary>How the outcome figures are broken down (besides the field of action).</summary>
public enum OutcomeGrouping
{
    /// <summary>Only per field of action (the totals).</summary>
    Field,

    /// <summary>Kohorte: the quarter in which the person's support started.</summary>
    Cohort,

    /// <summary>The team of the case's manager (today).</summary>
    Team,

    /// <summary>The organisation (Träger).</summary>
    Organisation,

    /// <summary>The group of the current residence status (<see cref="ResidenceGroup"/>).</summary>
    Residence,

    /// <summary>Gender as recorded.</summary>
    Gender,
}

/// <summary>Residence statuses grouped for the outcomes report (fewer, larger groups: fewer cells under the threshold).</summary>
public enum ResidenceGroup
{
    Protected,
    TemporaryProtection,
    Permit,
    ProcedurePending,
    Tolerated,
    ObligedToLeave,
}

/// <summary>A group of the breakdown: <paramref name="Key"/> orders the rows, <paramref name="Label"/> is shown.</summary>
public sealed record OutcomeGroup(string Key, string Label);

/// <summary>
/// One row of the outcomes report: a group and a field of action. A suppressed figure is null and the row says
/// <see cref="Suppressed"/>; <see cref="SuppressedFigures"/> names which (API field names).
/// </summary>
public sealed record FieldOutcomeRow(
    string Group,
    FieldOfAction Field,
    string FieldLabel,
    int? Agreed,
    int? InProgress,
    int? Achieved,
    int? PartlyAchieved,
    int? NotAchieved,
    int? Dropped,
    decimal? AchievedByTargetShare,
    decimal? MedianDaysToAchieve,
    bool Suppressed)
{
    /// <summary>The field's total over all groups (the row of the "field" breakdown).</summary>
    public bool IsTotal { get; init; }

    public IReadOnlyList<string> SuppressedFigures { get; init; } = [];
}

/// <summary>Wirkung: goals per field of action and their outcomes for a period, small numbers suppressed.</summary>
public sealed record OutcomesReport(
    string Organisation, string Scope, OutcomeGrouping GroupBy, LocalDate From, LocalDate To, LocalDate CreatedOn, IReadOnlyList<FieldOutcomeRow> Rows);

/// <summary>
/// Builds the outcomes report from the case read models (live cases and the pseudonymous records of erased ones) — a
/// pure function; the definitions of every figure are in docs/outcomes-report.md.
/// </summary>
public static class OutcomesReportBuilder
{
    /// <summary>Label of the total row of a field.</summary>
    public const string TotalLabel = "Gesamt";

    /// <summary>The figures counted per row, in the order of the cells; the last is the count behind the share.</summary>
    private static readonly string[] Figures = ["agreed", "inProgress", "achieved", "partlyAchieved", "notAchieved", "dropped", "achievedByTarget"];

    private const int AgreedCell = 0;
    private const int AchievedCell = 2;
    private const int ByTargetCell = 6;

    private sealed record Goal(Guid Person, OutcomeGroup Group, FieldOfAction Field, LocalDate AgreedOn, LocalDate TargetDate, GoalStatus Status, LocalDate? FinishedOn);

    public static IReadOnlyList<FieldOutcomeRow> Build(IReadOnlyCollection<CaseSummary> cases, LocalDate from, LocalDate to, OutcomeGrouping groupBy, Func<CaseSummary, OutcomeGroup> groupOf)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(groupOf);
        // Goals agreed in the period; their status as of its last day (a final status reached later is still "in progress").
        var goals = cases.SelectMany(c => c.Goals.Where(g => g.AgreedOn >= from && g.AgreedOn <= to).Select(g => new Goal(
                c.Id, groupOf(c), g.Field, g.AgreedOn, g.TargetDate,
                Goals.IsFinal(g.Status) && g.FinishedOn is { } done && done <= to ? g.Status : GoalStatus.InProgress,
                Goals.IsFinal(g.Status) && g.FinishedOn is { } finished && finished <= to ? finished : null)))
            .ToList();

        // One table: per field its total row, then (unless grouped by field only) a row per group that has goals in it.
        var rows = new List<(OutcomeGroup Group, FieldOfAction Field, bool IsTotal, List<Goal> Goals)>();
        var relations = new List<CellRelation>();
        foreach (var field in Enum.GetValues<FieldOfAction>())
        {
            var inField = goals.Where(g => g.Field == field).ToList();
            var totalRow = rows.Count;
            rows.Add((new OutcomeGroup("", TotalLabel), field, true, inField));
            if (groupBy == OutcomeGrouping.Field)
            {
                continue;
            }

            var groupRows = new List<int>();
            foreach (var group in inField.GroupBy(g => g.Group).OrderBy(g => g.Key.Key, StringComparer.Ordinal))
            {
                groupRows.Add(rows.Count);
                rows.Add((group.Key, field, false, group.ToList()));
            }

            // Column totals: the field's total of each figure is the sum over its groups (each person has one group).
            relations.AddRange(Enumerable.Range(0, Figures.Length).Select(f => new CellRelation(totalRow * Figures.Length + f, groupRows.Select(r => r * Figures.Length + f).ToList())));
        }

        var cells = rows.SelectMany(r => Count(r.Goals)).ToList();
        // Row totals: agreed = in progress + achieved + partly + not achieved + dropped.
        relations.AddRange(Enumerable.Range(0, rows.Count).Select(r => new CellRelation(r * Figures.Length + AgreedCell, Enumerable.Range(r * Figures.Length + 1, 5).ToList())));
        var hidden = SmallNumbers.Suppress(cells, relations);

        return rows.Select((row, r) =>
        {
            int? Shown(int figure) => hidden.Contains(r * Figures.Length + figure) ? null : cells[r * Figures.Length + figure].Value;
            var suppressed = Enumerable.Range(0, Figures.Length).Where(f => hidden.Contains(r * Figures.Length + f)).Select(f => Figures[f]).ToList();
            if (hidden.Contains(r * Figures.Length + AgreedCell) && !suppressed.Contains("achievedByTarget"))
            {
                suppressed.Add("achievedByTarget"); // the share over a hidden total is hidden as well
            }

            var agreed = Shown(AgreedCell);
            var byTarget = Shown(ByTargetCell);
            var achieved = Shown(AchievedCell);
            var days = row.Goals.Where(g => g.Status == GoalStatus.Achieved).Select(g => Period.Between(g.AgreedOn, g.FinishedOn!.Value, PeriodUnits.Days).Days).ToList();
            return new FieldOutcomeRow(
                row.Group.Label, row.Field, Goals.FieldLabel(row.Field),
                agreed, Shown(1), achieved, Shown(3), Shown(4), Shown(5),
                agreed is > 0 && byTarget is { } t ? Math.Round((decimal)t / agreed.Value, 3, MidpointRounding.AwayFromZero) : null,
                achieved is > 0 ? Median(days) : null,
                suppressed.Count > 0)
            {
                IsTotal = row.IsTotal,
                SuppressedFigures = suppressed.Select(f => f == "achievedByTarget" ? "achievedByTargetShare" : f).ToList(),
            };
        }).ToList();
    }

    private static IEnumerable<CountCell> Count(List<Goal> goals)
    {
        CountCell Of(Func<Goal, bool> which)
        {
            var matching = goals.Where(which).ToList();
            return new CountCell(matching.Count, matching.Select(g => g.Person).Distinct().Count());
        }

        yield return Of(_ => true);
        yield return Of(g => g.Status == GoalStatus.InProgress);
        yield return Of(g => g.Status == GoalStatus.Achieved);
        yield return Of(g => g.Status == GoalStatus.PartlyAchieved);
        yield return Of(g => g.Status == GoalStatus.NotAchieved);
        yield return Of(g => g.Status == GoalStatus.Dropped);
        yield return Of(g => g.Status == GoalStatus.Achieved && g.FinishedOn <= g.TargetDate);
    }

    /// <summary>The median (the mean of the two middle values for an even count), one decimal.</summary>
    public static decimal Median(IReadOnlyList<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
        return Math.Round(median, 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>Kohorte: "2026-Q1" orders, "1. Quartal 2026" is shown.</summary>
    public static OutcomeGroup Cohort(LocalDate supportStart)
    {
        var quarter = (supportStart.Month - 1) / 3 + 1;
        return new OutcomeGroup($"{supportStart.Year:D4}-Q{quarter}", $"{quarter}. Quartal {supportStart.Year.ToString(CultureInfo.InvariantCulture)}");
    }

    public static ResidenceGroup GroupOf(ResidenceKind residence) => residence switch
    {
        ResidenceKind.AsylumEntitlement or ResidenceKind.RefugeeProtection or ResidenceKind.SubsidiaryProtection or ResidenceKind.DeportationBan => ResidenceGroup.Protected,
        ResidenceKind.TemporaryProtection => ResidenceGroup.TemporaryProtection,
        ResidenceKind.SettlementPermit or ResidenceKind.OtherResidencePermit => ResidenceGroup.Permit,
        ResidenceKind.AsylumProcedurePending => ResidenceGroup.ProcedurePending,
        ResidenceKind.TrainingToleration or ResidenceKind.EmploymentToleration or ResidenceKind.Toleration => ResidenceGroup.Tolerated,
        _ => ResidenceGroup.ObligedToLeave,
    };

    /// <summary>An enum value as a group: ordered by its position, labelled from <see cref="Labels"/>.</summary>
    public static OutcomeGroup Ordered<T>(T value) where T : struct, Enum =>
        new(Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString("D3", CultureInfo.InvariantCulture), Labels.Of(value));

    private static readonly string[] Title = ["Wirkung – Ziele je Handlungsfeld"];

    /// <summary>"&lt; 5": what a suppressed cell shows on the page and in the files.</summary>
    public static readonly string SuppressedText = $"< {SmallNumbers.Threshold}";

    public static readonly IReadOnlyList<string> Header =
    [
        "Gruppe", "Handlungsfeld", "vereinbart", "in Bearbeitung", "erreicht", "teilweise erreicht", "nicht erreicht", "aufgegeben",
        "Anteil bis zum Zieldatum erreicht (%)", "Median Tage bis zur Erreichung",
    ];

    /// <summary>The report as the rows of a sheet (the CSV, and the XLSX with numbers as numbers): a header block, then the table.</summary>
    public static IReadOnlyList<object?[]> Sheet(OutcomesReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        List<object?[]> rows =
        [
            Title,
            ["Träger", report.Organisation],
            ["Auswertung für", report.Scope],
            ["Gliederung", Labels.Of(report.GroupBy)],
            ["Zeitraum (Vereinbarung der Ziele)", $"{Time.Format(report.From)} – {Time.Format(report.To)}"],
            ["Erstellt am", Time.Format(report.CreatedOn)],
            ["Hinweis", $"Felder mit weniger als {SmallNumbers.Threshold} Personen und die zu ihrer Rückrechnung nötigen Felder sind als „{SuppressedText}“ ausgeblendet."],
            [],
            [.. Header],
        ];
        rows.AddRange(report.Rows.Select(r => new object?[]
        {
            r.Group, r.FieldLabel, Cell(r.Agreed), Cell(r.InProgress), Cell(r.Achieved), Cell(r.PartlyAchieved), Cell(r.NotAchieved), Cell(r.Dropped),
            r.SuppressedFigures.Contains("achievedByTargetShare") ? SuppressedText : r.AchievedByTargetShare is { } s ? Math.Round(s * 100, 1, MidpointRounding.AwayFromZero) : "",
            r.SuppressedFigures.Contains("achieved") ? SuppressedText : r.MedianDaysToAchieve is { } d ? d : "",
        }));
        return rows;
    }

    private static object Cell(int? value) => value is { } v ? (decimal)v : SuppressedText;
}

/// <summary>
/// Wirkung for a period (goals agreed from … to): team leads their team, administrators the organisation; others 403.
/// <paramref name="GroupBy"/>: field, cohort, team, organisation, residence or gender.
/// </summary>
public sealed record GetOutcomesReport(LocalDate? From, LocalDate? To, string? GroupBy) : IQuery<Outcome<OutcomesReport>>;

public sealed class GetOutcomesReportHandler(IQuerySession session, AppDbContext db, ICurrentUser user, IClock clock)
    : IQueryHandler<GetOutcomesReport, Outcome<OutcomesReport>>
{
    /// <summary>Longest period: five years (several cohorts, still one read of the organisation's cases).</summary>
    public const int MaxYears = 5;

    public static readonly IReadOnlyDictionary<string, OutcomeGrouping> Groupings = Enum.GetValues<OutcomeGrouping>()
        .ToDictionary(g => g.ToString().ToLowerInvariant(), g => g, StringComparer.Ordinal);

    public async ValueTask<Outcome<OutcomesReport>> Handle(GetOutcomesReport query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var lead = user.IsAuthenticated && user.IsInRole(Roles.TeamLead);
        if (!lead && !(user.IsAuthenticated && user.IsInRole(Roles.Administrator)))
        {
            throw new UnauthorizedAccessException("The outcomes report is for team leads and administrators.");
        }

        var checks = new Checks();
        checks.Date(query.From, DateRange.Filter, nameof(GetOutcomesReport.From), "den Beginn des Zeitraums");
        checks.Date(query.To, DateRange.Filter, nameof(GetOutcomesReport.To), "das Ende des Zeitraums");
        if (!checks.Failed && (query.To < query.From || query.To > query.From!.Value.PlusYears(MaxYears)))
        {
            checks.Add(nameof(GetOutcomesReport.To), $"Das Ende muss nach dem Beginn liegen, höchstens {MaxYears} Jahre später.");
        }

        var groupBy = OutcomeGrouping.Field;
        if (query.GroupBy is { Length: > 0 } name && !Groupings.TryGetValue(name, out groupBy))
        {
            checks.Add(nameof(GetOutcomesReport.GroupBy), "Bitte eine Gliederung wählen: " + string.Join(", ", Groupings.Keys) + ".");
        }

        if (checks.Failed)
        {
            return Outcome<OutcomesReport>.Failure(checks.Errors);
        }

        // A lead: the cases of the own team's managers (live and erased); an administrator: the organisation's.
        IReadOnlyList<Guid>? team = lead ? await TeamRoster.OfSignedInLead(db, user, cancellationToken) : null;
        IReadOnlyCollection<CaseSummary> live = team is not null ? await TeamCases.Of(session, team, cancellationToken) : await session.Query<CaseSummary>().ToListAsync(cancellationToken);
        var erased = (await session.Query<DataProtection.ErasedCase>().ToListAsync(cancellationToken))
            .Where(e => team is null || team.Contains(e.Record.ManagerId))
            .Select(e => e.Record.ToStatistics(e.Id));
        IReadOnlyCollection<CaseSummary> cases = [.. live, .. erased];

        var organisation = await OrganisationNames.Of(db, user.OrganisationId, cancellationToken);
        var teams = groupBy == OutcomeGrouping.Team ? await ManagerTeams.NamesByUser(db, user.OrganisationId, cancellationToken) : new Dictionary<Guid, string>() as IReadOnlyDictionary<Guid, string>;
        Func<CaseSummary, OutcomeGroup> groupOf = groupBy switch
        {
            OutcomeGrouping.Cohort => c => OutcomesReportBuilder.Cohort(c.SupportStart),
            OutcomeGrouping.Team => c => teams.TryGetValue(c.ManagerId, out var t) ? new OutcomeGroup("1 " + t, t) : new OutcomeGroup("2", "ohne Team"),
            OutcomeGrouping.Residence => c => OutcomesReportBuilder.Ordered(OutcomesReportBuilder.GroupOf(c.Residence)),
            OutcomeGrouping.Gender => c => OutcomesReportBuilder.Ordered(c.Gender),
            _ => _ => new OutcomeGroup("", organisation),
        };
        var rows = OutcomesReportBuilder.Build(cases, query.From!.Value, query.To!.Value, groupBy, groupOf);
        return Outcome<OutcomesReport>.Success(new OutcomesReport(
            organisation, team is not null ? "eigenes Team" : "gesamte Organisation", groupBy, query.From.Value, query.To.Value, clock.Today(), rows));
    }
}
