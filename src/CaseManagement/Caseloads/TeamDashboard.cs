using Marten;
using Marten.Linq.MatchesSql;

namespace CaseManagement.Caseloads;

/// <summary>The figures of the Team dashboard; each is also a filter of the list behind it.</summary>
public enum CaseFigure
{
    Active,
    NewThisMonth,
    ClosedThisMonth,
    ConsultationsThisMonth,
    ReviewsOverdue,
    GoalsPastTarget,
    SupportEndingSoon,
    NoRecentContact,
}

/// <summary>Thresholds of the dashboard (configuration section <c>Team</c>).</summary>
public sealed record DashboardSettings(int NoContactWeeks = 6, int SupportEndingMonths = 3)
{
    public const string Section = "Team";
}

/// <summary>One row of the dashboard: a manager (or the team total) and the figures.</summary>
public sealed record DashboardRow(Guid? ManagerId, string Name, IReadOnlyDictionary<CaseFigure, int> Figures);

/// <summary>Goals that reached an outcome (or were agreed) in the last 12 months, per field of action.</summary>
public sealed record OutcomeRow(FieldOfAction Field, int Agreed, int Achieved, int PartlyAchieved, int NotAchieved, int Dropped);

public sealed record TeamDashboardView(
    Guid TeamId, LocalDate Today, DashboardSettings Settings, IReadOnlyList<DashboardRow> Managers, DashboardRow Total, IReadOnlyList<OutcomeRow> Outcomes);

/// <summary>Pure rules behind every figure: the same function counts and lists, so a number always matches its list.</summary>
public static class CaseFigures
{
    public static string Label(CaseFigure figure) => Labels.Of(figure);

    /// <summary>How much a case contributes to a figure (consultations count per contact, goals per goal, everything else per case).</summary>
    public static int Count(CaseSummary c, CaseFigure figure, LocalDate today, DashboardSettings settings)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(settings);
        var monthStart = new LocalDate(today.Year, today.Month, 1);
        var active = c.Status != CaseStatus.Closed;
        return figure switch
        {
            CaseFigure.Active => active ? 1 : 0,
            CaseFigure.NewThisMonth => c.SupportStart >= monthStart && c.SupportStart <= today ? 1 : 0,
            CaseFigure.ClosedThisMonth => c.Status == CaseStatus.Closed && c.ClosedOn >= monthStart ? 1 : 0,
            CaseFigure.ConsultationsThisMonth => c.ConsultationDates.Count(d => d >= monthStart && d <= today),
            CaseFigure.ReviewsOverdue => ListMyCasesHandler.IsReviewOverdue(c, today) ? 1 : 0,
            CaseFigure.GoalsPastTarget => active ? c.Goals.Count(g => !Goals.IsFinal(g.Status) && g.TargetDate < today) : 0,
            CaseFigure.SupportEndingSoon => active && c.SupportEnd >= today && c.SupportEnd <= today.PlusMonths(settings.SupportEndingMonths) ? 1 : 0,
            _ => c.Status == CaseStatus.Open && (c.LastContact ?? c.SupportStart) < today.PlusWeeks(-settings.NoContactWeeks) ? 1 : 0,
        };
    }

    public static DashboardRow Row(Guid? managerId, string name, IReadOnlyCollection<CaseSummary> cases, LocalDate today, DashboardSettings settings) =>
        new(managerId, name, Enum.GetValues<CaseFigure>().ToDictionary(f => f, f => cases.Sum(c => Count(c, f, today, settings))));

    /// <summary>Goal outcomes per field of action: agreed in, or finished in, the 12 months up to today.</summary>
    public static IReadOnlyList<OutcomeRow> Outcomes(IEnumerable<CaseSummary> cases, LocalDate today)
    {
        var from = today.PlusMonths(-12);
        var goals = cases.SelectMany(c => c.Goals).ToList();
        int Finished(FieldOfAction field, GoalStatus status) =>
            goals.Count(g => g.Field == field && g.Status == status && g.FinishedOn > from && g.FinishedOn <= today);
        return Enum.GetValues<FieldOfAction>()
            .Select(f => new OutcomeRow(f, goals.Count(g => g.Field == f && g.AgreedOn > from && g.AgreedOn <= today),
                Finished(f, GoalStatus.Achieved), Finished(f, GoalStatus.PartlyAchieved), Finished(f, GoalStatus.NotAchieved), Finished(f, GoalStatus.Dropped)))
            .ToList();
    }
}

/// <summary>The Team dashboard of the signed-in lead's team (null: the own team; another team: not found).</summary>
public sealed record GetTeamDashboard(Guid? TeamId = null) : IQuery<TeamDashboardView>;

/// <summary>
/// Reads the figures from the read model <see cref="CaseFiguresReadModel"/> (one aggregate query over the team's rows),
/// not from the team's caseload; <see cref="CaseFigures"/> stays the rule book the lists filter by.
/// </summary>
public sealed class GetTeamDashboardHandler(
    IQuerySession session, Npgsql.NpgsqlDataSource dataSource, AppDbContext db, ICurrentUser user, IClock clock, DashboardSettings settings)
    : IQueryHandler<GetTeamDashboard, TeamDashboardView>
{
    public async ValueTask<TeamDashboardView> Handle(GetTeamDashboard query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var names = await TeamRoster.NamesOfSignedInLead(db, user, cancellationToken);
        var managers = names.Keys.ToList();
        if (user.TeamId is not { } team || (query.TeamId is { } asked && asked != team))
        {
            throw new NotFoundException("Team");
        }

        var today = clock.Today();
        var (figures, outcomes) = await CaseFiguresReadModel.ReadAsync(dataSource, session.TenantId, managers, today, settings, cancellationToken);
        var rows = managers
            .Select(m => new DashboardRow(m, names.GetValueOrDefault(m, "–"), figures[m]))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        return new TeamDashboardView(team, today, settings, rows, new DashboardRow(null, "Team gesamt", CaseFiguresReadModel.Sum(figures.Values)), outcomes);
    }
}

internal static class TeamCases
{
    /// <summary>Every case (read model) of the given managers, with everything (the funding report counts hours and modes).</summary>
    public static async Task<IReadOnlyList<CaseSummary>> Of(IQuerySession session, IReadOnlyList<Guid> managers, CancellationToken ct)
    {
        if (managers.Count == 0)
        {
            return [];
        }

        var ofManagers = $"d.id in ({CaseFiguresReadModel.CaseIdsOfManagers("?", "?")})";
        return await session.Query<CaseSummary>().Where(c => c.MatchesSql(ofManagers, session.TenantId, managers.ToArray())).ToListAsync(ct);
    }
}
