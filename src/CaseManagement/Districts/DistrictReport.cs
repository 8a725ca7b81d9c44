using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Districts;

/// <summary>
/// One row of the district's "Auswertung Zeitraum": an employer (organisation) and one of its managers, the employer's
/// total (<see cref="Manager"/> null) or the district's total (<see cref="IsDistrictTotal"/>). A figure counting fewer
/// than 5 persons — or one that would let a hidden figure be computed — is null and named in <see cref="SuppressedFigures"/>.
/// </summary>
public sealed record DistrictFigureRow(
    string Organisation,
    string? Manager,
    int? PersonsCounselled,
    int? NewPlans,
    int? UpdatedPlans,
    int? Consultations,
    int? SupportPeriodEnds,
    IReadOnlyList<string> SuppressedFigures)
{
    public bool IsDistrictTotal { get; init; }

    public bool Suppressed => SuppressedFigures.Count > 0;
}

/// <summary>The district's funding figures per employer and manager for a period (docs/district.md).</summary>
public sealed record DistrictReport(Guid DistrictId, string District, IReadOnlyList<string> Organisations, LocalDate From, LocalDate To, LocalDate CreatedOn, IReadOnlyList<DistrictFigureRow> Rows);

/// <summary>The cases (live and the pseudonymous records of erased ones) of one member organisation.</summary>
public sealed record MemberCases(Guid OrganisationId, string Organisation, IReadOnlyCollection<CaseSummary> Cases);

/// <summary>
/// Builds the district report from the member organisations' cases with the funding report's own definitions
/// (<see cref="FundingReportBuilder"/>), and hides small numbers with <see cref="SmallNumbers"/> — a pure function.
/// </summary>
public static class DistrictReportBuilder
{
    /// <summary>API names of the figures, in the order of the cells.</summary>
    public static readonly IReadOnlyList<string> Figures = ["personsCounselled", "newPlans", "updatedPlans", "consultations", "supportPeriodEnds"];

    public static readonly IReadOnlyList<string> Header =
        ["Träger", "Integrationsmanager:in", "Beratene Personen", "Pläne neu erstellt", "Pläne fortgeschrieben", "Beratungskontakte", "Förderzeitraum endet im Zeitraum"];

    public const string OrganisationTotal = "gesamt";

    public const string DistrictTotal = "Landkreis gesamt";

    public static IReadOnlyList<DistrictFigureRow> Build(IReadOnlyList<MemberCases> members, IReadOnlyDictionary<Guid, string> managerNames, LocalDate from, LocalDate to)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(managerNames);
        var rows = new List<(string Organisation, string? Manager, bool District, IReadOnlyCollection<CaseSummary> Cases)>();
        var relations = new List<CellRelation>();
        var organisationRows = new List<int>();
        foreach (var member in members)
        {
            var managerRows = new List<int>();
            foreach (var manager in member.Cases.GroupBy(c => c.ManagerId)
                         .Select(g => (Name: managerNames.GetValueOrDefault(g.Key, "–"), Cases: (IReadOnlyCollection<CaseSummary>)g.ToList()))
                         .OrderBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase))
            {
                managerRows.Add(rows.Count);
                rows.Add((member.Organisation, manager.Name, false, manager.Cases));
            }

            organisationRows.Add(rows.Count);
            relations.AddRange(Column(rows.Count, managerRows));
            rows.Add((member.Organisation, null, false, member.Cases));
        }

        relations.AddRange(Column(rows.Count, organisationRows));
        rows.Add((DistrictTotal, null, true, members.SelectMany(m => m.Cases).ToList()));

        var cells = rows.SelectMany(r => Count(r.Cases, from, to)).ToList();
        var hidden = SmallNumbers.Suppress(cells, relations);
        return rows.Select((row, r) =>
        {
            int? Shown(int figure) => hidden.Contains(r * Figures.Count + figure) ? null : cells[r * Figures.Count + figure].Value;
            return new DistrictFigureRow(row.Organisation, row.Manager, Shown(0), Shown(1), Shown(2), Shown(3), Shown(4),
                Enumerable.Range(0, Figures.Count).Where(f => hidden.Contains(r * Figures.Count + f)).Select(f => Figures[f]).ToList())
            {
                IsDistrictTotal = row.District,
            };
        }).ToList();
    }

    /// <summary>Each figure's total is the sum of its parts (one relation per figure).</summary>
    private static IEnumerable<CellRelation> Column(int totalRow, IReadOnlyList<int> partRows) =>
        Enumerable.Range(0, Figures.Count).Select(f => new CellRelation(totalRow * Figures.Count + f, partRows.Select(r => r * Figures.Count + f).ToList()));

    /// <summary>The five figures of a group of cases, each with the number of distinct persons behind it.</summary>
    private static IEnumerable<CountCell> Count(IReadOnlyCollection<CaseSummary> cases, LocalDate from, LocalDate to)
    {
        var counselled = FundingReportBuilder.Counselled(cases, from, to);
        CountCell Persons(IEnumerable<CaseSummary> which)
        {
            var n = which.Select(c => c.Id).Distinct().Count();
            return new CountCell(n, n);
        }

        yield return Persons(counselled);
        yield return Persons(cases.Where(c => FundingReportBuilder.NewPlan(c, from, to)));
        yield return Persons(cases.Where(c => FundingReportBuilder.UpdatedPlan(c, from, to)));
        var consultations = counselled.Select(c => (c.Id, Count: FundingReportBuilder.ConsultationsIn(c, from, to).Count())).Where(c => c.Count > 0).ToList();
        yield return new CountCell(consultations.Sum(c => c.Count), consultations.Count);
        yield return Persons(counselled.Where(c => FundingReportBuilder.SupportPeriodEnds(c, from, to)));
    }

    /// <summary>The report as the rows of a sheet (CSV, and XLSX with numbers as numbers): a header block, then the table.</summary>
    public static IReadOnlyList<object?[]> Sheet(DistrictReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        List<object?[]> rows =
        [
            ["Auswertung Zeitraum – Landkreis"],
            ["Landkreis", report.District],
            ["Träger", string.Join(", ", report.Organisations)],
            ["Zeitraum", $"{Time.Format(report.From)} – {Time.Format(report.To)}"],
            ["Erstellt am", Time.Format(report.CreatedOn)],
            ["Hinweis", $"Felder mit weniger als {SmallNumbers.Threshold} Personen und die zu ihrer Rückrechnung nötigen Felder sind als „{OutcomesReportBuilder.SuppressedText}“ ausgeblendet."],
            [],
            [.. Header],
        ];
        rows.AddRange(report.Rows.Select(r => new object?[]
        {
            r.Organisation, r.Manager ?? (r.IsDistrictTotal ? "" : OrganisationTotal),
            Cell(r.PersonsCounselled), Cell(r.NewPlans), Cell(r.UpdatedPlans), Cell(r.Consultations), Cell(r.SupportPeriodEnds),
        }));
        return rows;
    }

    private static object Cell(int? value) => value is { } v ? (decimal)v : OutcomesReportBuilder.SuppressedText;
}

/// <summary>Who may read a district's figures, and which organisations count for it now.</summary>
internal static class DistrictAccess
{
    /// <summary>
    /// The district for its coordinator: 403 for any other role, 404 for a district kept by another organisation. The
    /// members are the organisations whose membership is accepted and not ended at this moment, and the keeper itself.
    /// </summary>
    public static async Task<(District District, IReadOnlyList<(Guid Id, string Name)> Members)> ForCoordinator(AppDbContext db, ICurrentUser user, Guid districtId, CancellationToken ct)
    {
        if (!user.IsAuthenticated || !user.IsInRole(Roles.DistrictCoordinator))
        {
            throw new UnauthorizedAccessException(Messages.Reports.CoordinatorRequired);
        }

        var district = await db.Set<District>().SingleOrDefaultAsync(d => d.Id == districtId && d.OrganisationId == user.OrganisationId, ct)
                       ?? throw new NotFoundException("District");
        var members = await db.Set<DistrictMembership>().Where(m => m.DistrictId == district.Id && m.Status == MembershipStatus.Member)
            .Select(m => m.OrganisationId).ToListAsync(ct);
        var organisations = await db.Organisations.Where(o => o.Id == district.OrganisationId || members.Contains(o.Id))
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        return (district, organisations.Select(o => (o.Id, o.Name)).ToList());
    }

    /// <summary>Both days required, within the filter range, the end not before the start and at most <paramref name="maxYears"/> later.</summary>
    public static Checks Period(LocalDate? from, LocalDate? to, int maxYears)
    {
        var checks = new Checks();
        checks.Date(from, DateRange.Filter, "From", "den Beginn des Zeitraums");
        checks.Date(to, DateRange.Filter, "To", "das Ende des Zeitraums");
        if (!checks.Failed && (to < from || to > from!.Value.PlusYears(maxYears)))
        {
            checks.Add("To", maxYears == 3 ? Messages.Reports.PeriodThreeYears : $"Das Ende muss nach dem Beginn liegen, höchstens {maxYears} Jahre später.");
        }

        return checks;
    }
}

/// <summary>The district the signed-in coordinator's organisation keeps (null: none).</summary>
public sealed record GetCoordinatorDistrict : IQuery<District?>;

public sealed class GetCoordinatorDistrictHandler(AppDbContext db, ICurrentUser user) : IQueryHandler<GetCoordinatorDistrict, District?>
{
    public async ValueTask<District?> Handle(GetCoordinatorDistrict query, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated || !user.IsInRole(Roles.DistrictCoordinator))
        {
            throw new UnauthorizedAccessException(Messages.Reports.CoordinatorRequired);
        }

        return await db.Set<District>().SingleOrDefaultAsync(d => d.OrganisationId == user.OrganisationId, cancellationToken);
    }
}

/// <summary>Auswertung Zeitraum of a district: per employer and manager, small numbers hidden (coordinators only).</summary>
public sealed record GetDistrictReport(Guid DistrictId, LocalDate? From, LocalDate? To) : IQuery<Outcome<DistrictReport>>;

public sealed class GetDistrictReportHandler(Marten.IDocumentStore store, AppDbContext db, ICurrentUser user, IClock clock) : IQueryHandler<GetDistrictReport, Outcome<DistrictReport>>
{
    /// <summary>Longest period, as the funding report's.</summary>
    public const int MaxYears = 3;

    public async ValueTask<Outcome<DistrictReport>> Handle(GetDistrictReport query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (district, members) = await DistrictAccess.ForCoordinator(db, user, query.DistrictId, cancellationToken);
        var checks = DistrictAccess.Period(query.From, query.To, MaxYears);
        if (checks.Failed)
        {
            return Outcome<DistrictReport>.Failure(checks.Errors);
        }

        var cases = await DistrictCases.Read(store, members, cancellationToken);
        var managers = cases.SelectMany(m => m.Cases.Select(c => c.ManagerId)).Distinct().ToList();
        // Staff names (not clients): the issue asks for the figures per manager; cells under 5 persons are hidden all the same.
        var names = await db.Users.Where(u => managers.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var rows = DistrictReportBuilder.Build(cases, names, query.From!.Value, query.To!.Value);
        return Outcome<DistrictReport>.Success(new DistrictReport(district.Id, district.Name, members.Select(m => m.Name).ToList(), query.From.Value, query.To.Value, clock.Today(), rows));
    }
}

/// <summary>Wirkung of a district: goals per field of action, per member organisation, small numbers hidden (coordinators only).</summary>
public sealed record GetDistrictOutcomes(Guid DistrictId, LocalDate? From, LocalDate? To) : IQuery<Outcome<OutcomesReport>>;

public sealed class GetDistrictOutcomesHandler(Marten.IDocumentStore store, AppDbContext db, ICurrentUser user, IClock clock) : IQueryHandler<GetDistrictOutcomes, Outcome<OutcomesReport>>
{
    public async ValueTask<Outcome<OutcomesReport>> Handle(GetDistrictOutcomes query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (district, members) = await DistrictAccess.ForCoordinator(db, user, query.DistrictId, cancellationToken);
        var checks = DistrictAccess.Period(query.From, query.To, GetOutcomesReportHandler.MaxYears);
        if (checks.Failed)
        {
            return Outcome<OutcomesReport>.Failure(checks.Errors);
        }

        var cases = await DistrictCases.Read(store, members, cancellationToken);
        var groups = new Dictionary<Guid, OutcomeGroup>();
        foreach (var member in cases)
        {
            foreach (var c in member.Cases)
            {
                groups[c.Id] = new OutcomeGroup(member.Organisation, member.Organisation);
            }
        }

        var rows = OutcomesReportBuilder.Build(cases.SelectMany(m => m.Cases).ToList(), query.From!.Value, query.To!.Value, OutcomeGrouping.Organisation, c => groups[c.Id]);
        return Outcome<OutcomesReport>.Success(new OutcomesReport(
            district.Name, "Landkreis: " + string.Join(", ", members.Select(m => m.Name)), OutcomeGrouping.Organisation, query.From.Value, query.To.Value, clock.Today(), rows));
    }
}
