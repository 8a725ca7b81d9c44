using Marten;

namespace CaseManagement.Cases;

/// <summary>One case as its manager (or the manager's team lead) sees it; anyone else: not found.</summary>
/// <remarks>Every read is written to the access log, with <see cref="What"/> (Fallakte, Druck, PDF).</remarks>
public sealed record GetCase(Guid CaseId, string What = "Fallakte") : IQuery<CaseSummary>;

public sealed class GetCaseHandler(IQuerySession session, AppDbContext db, ICurrentUser currentUser, DataProtection.CaseAccessLog accessLog) : IQueryHandler<GetCase, CaseSummary>
{
    public async ValueTask<CaseSummary> Handle(GetCase query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var found = await CaseAccess.Load(session, db, currentUser, query.CaseId, cancellationToken);
        await accessLog.RecordAsync(query.CaseId, query.What, cancellationToken);
        return found;
    }
}

/// <summary>
/// The case as it was at the end of a past day (Europe/Berlin): the summary rebuilt from the events up to
/// that moment — event sourcing makes the plan of any date cheap to show.
/// </summary>
public sealed record GetCaseAsOf(Guid CaseId, NodaTime.LocalDate Date) : IQuery<CaseAsOf?>;

/// <summary>The case as it was on a day by the dates its facts took effect (<see cref="CaseAsOfRule"/>, docs/as-of.md).</summary>
public sealed class GetCaseAsOfHandler(IQuerySession session, AppDbContext db, ICurrentUser currentUser, DataProtection.CaseAccessLog accessLog) : IQueryHandler<GetCaseAsOf, CaseAsOf?>
{
    public async ValueTask<CaseAsOf?> Handle(GetCaseAsOf query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await CaseAccess.Load(session, db, currentUser, query.CaseId, cancellationToken);
        await accessLog.RecordAsync(query.CaseId, "Stand", cancellationToken);

        // A day outside the documented range is held at its ends (the API refuses it before it gets here).
        var day = NodaTime.LocalDate.Max(DateRange.Filter.From, NodaTime.LocalDate.Min(DateRange.Filter.To, query.Date));
        var events = await session.Events.FetchStreamAsync(query.CaseId, token: cancellationToken);
        return CaseAsOfRule.Build(events.Select(e => e.Data).OfType<ICaseEvent>().ToList(), day);
    }
}

/// <summary>"Meine Fälle": the signed-in manager's caseload, filtered and paged (25 per page).</summary>
public sealed record ListMyCases(
    string? Search, CaseStatus? Status, EligibilityVerdict? Verdict = null, bool OverdueReviewsOnly = false, int Page = 1)
    : IQuery<CaseList>;

public sealed record CaseList(IReadOnlyList<CaseSummary> Items, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed class ListMyCasesHandler(IQuerySession session, Npgsql.NpgsqlDataSource dataSource, ICurrentUser currentUser, NodaTime.IClock clock) : IQueryHandler<ListMyCases, CaseList>
{
    public const int PageSize = 25;

    public async ValueTask<CaseList> Handle(ListMyCases query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CaseAccess.RequireCaseWorker(currentUser);
        // A caseload is about 60 cases: read in the shape of a list row and filtered in memory.
        var search = query.Search?.Trim();
        var today = clock.Today();
        var list = (await CaseCards.RowsOfManagersAsync(session, dataSource, [currentUser.UserId], cancellationToken))
            .Where(c => query.Status is not { } status || c.Status == status)
            .Where(c => query.Verdict is not { } verdict || c.Verdict == verdict)
            .Where(c => string.IsNullOrEmpty(search) || c.MatchesSearch(search))
            .Where(c => !query.OverdueReviewsOnly || IsReviewOverdue(c, today))
            .OrderBy(c => c.LastName, StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(c => c.FirstName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        var page = Paging.Page(query.Page);
        return new CaseList(list.Skip(Paging.Offset(page, PageSize)).Take(PageSize).ToList(), list.Count, page, PageSize);
    }

    /// <summary>An open case whose plan review or a goal's review date has passed.</summary>
    public static bool IsReviewOverdue(CaseSummary c, NodaTime.LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Status == CaseStatus.Open
               && (c.NextReviewOn < today || c.Goals.Any(g => !Goals.IsFinal(g.Status) && g.NextReview < today));
    }
}

public static class CaseAccess
{
    /// <summary>Case content is for integration managers and team leads only (DESIGN.md §1).</summary>
    public static void RequireCaseWorker(ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.IsAuthenticated || !(user.IsInRole(Roles.Manager) || user.IsInRole(Roles.TeamLead)))
        {
            throw new UnauthorizedAccessException("Case content is for managers and team leads.");
        }
    }

    /// <summary>The case, when it exists in the user's organisation and the user may work on it; otherwise "not found".</summary>
    public static async Task<CaseSummary> Load(IQuerySession session, AppDbContext db, ICurrentUser user, Guid caseId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        RequireCaseWorker(user);
        var summary = await session.LoadAsync<CaseSummary>(caseId, ct);
        return summary is not null && await MayWorkOn(summary, user, db, ct) ? summary : throw new NotFoundException("Case");
    }

    /// <summary>
    /// As <see cref="Load"/>, for a change: only the case's manager is read (not the whole file), then the
    /// access rule; anyone else: not found.
    /// </summary>
    public static async Task Require(IQuerySession session, AppDbContext db, ICurrentUser user, Guid caseId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        RequireCaseWorker(user);
        var managers = await session.Query<CaseSummary>().Where(c => c.Id == caseId).Select(c => c.ManagerId).ToListAsync(ct);
        if (managers.Count != 1 || !await MayWorkOn(managers[0], user, db, ct))
        {
            throw new NotFoundException("Case");
        }
    }

    public static Task<bool> MayWorkOn(CaseSummary summary, ICurrentUser user, AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return MayWorkOn(summary.ManagerId, user, db, ct);
    }

    /// <summary>The assigned manager, the manager's deputy on the days of the Vertretung, or the lead of the assigned manager's team.</summary>
    public static async Task<bool> MayWorkOn(Guid managerId, ICurrentUser user, AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (managerId == user.UserId || (user.IsInRole(Roles.Manager) && user.DeputyFor.Contains(managerId)))
        {
            return true;
        }

        return user.IsInRole(Roles.TeamLead) && user.TeamId is { } team
            && await TeamMembers.IsActiveManagerOfTeam(db, user.OrganisationId, team, managerId, ct);
    }
}

/// <summary>Current and coming Vertretungen for the case's manager (shown on the case).</summary>
public sealed record GetCaseDeputies(Guid CaseId) : IQuery<IReadOnlyList<DeputyGrantView>>;

public sealed class GetCaseDeputiesHandler(IQuerySession session, AppDbContext db, ICurrentUser currentUser, NodaTime.IClock clock)
    : IQueryHandler<GetCaseDeputies, IReadOnlyList<DeputyGrantView>>
{
    public async ValueTask<IReadOnlyList<DeputyGrantView>> Handle(GetCaseDeputies query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var summary = await CaseAccess.Load(session, db, currentUser, query.CaseId, cancellationToken);
        var grants = await DeputyGrants.Current(db, currentUser.OrganisationId, [summary.ManagerId], clock.Today(), cancellationToken);
        return grants.Where(g => g.AbsentManagerId == summary.ManagerId).ToList();
    }
}

/// <summary>The cases a manager works on today as deputy, with the absent manager's name.</summary>
public sealed record ListDeputyCases : IQuery<IReadOnlyList<TeamCase>>;

public sealed class ListDeputyCasesHandler(IQuerySession session, Npgsql.NpgsqlDataSource dataSource, AppDbContext db, ICurrentUser currentUser) : IQueryHandler<ListDeputyCases, IReadOnlyList<TeamCase>>
{
    public async ValueTask<IReadOnlyList<TeamCase>> Handle(ListDeputyCases query, CancellationToken cancellationToken)
    {
        CaseAccess.RequireCaseWorker(currentUser);
        var absent = currentUser.DeputyFor.ToArray();
        if (absent.Length == 0)
        {
            return [];
        }

        var names = await UserNames.Of(db, currentUser.OrganisationId, absent, cancellationToken);
        var cases = (await CaseCards.RowsOfManagersAsync(session, dataSource, absent, cancellationToken)).Where(c => c.Status != CaseStatus.Closed);
        return cases.OrderBy(c => c.LastName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.FirstName, StringComparer.CurrentCultureIgnoreCase)
            .Select(c => new TeamCase(c, names.GetValueOrDefault(c.ManagerId, "–"))).ToList();
    }
}

/// <summary>The lead's list of the team's current and coming Vertretungen.</summary>
public sealed record ListTeamDeputies : IQuery<IReadOnlyList<DeputyGrantView>>;

public sealed class ListTeamDeputiesHandler(AppDbContext db, ICurrentUser currentUser, NodaTime.IClock clock) : IQueryHandler<ListTeamDeputies, IReadOnlyList<DeputyGrantView>>
{
    public async ValueTask<IReadOnlyList<DeputyGrantView>> Handle(ListTeamDeputies query, CancellationToken cancellationToken) =>
        await DeputyGrants.Current(db, currentUser.OrganisationId, await TeamRoster.OfSignedInLead(db, currentUser, cancellationToken), clock.Today(), cancellationToken);
}

/// <summary>The name of the case's responsible integration manager (the case page's header).</summary>
public sealed record GetCaseManagerName(Guid CaseId) : IQuery<string>;

public sealed class GetCaseManagerNameHandler(IQuerySession session, AppDbContext db, ICurrentUser currentUser) : IQueryHandler<GetCaseManagerName, string>
{
    public async ValueTask<string> Handle(GetCaseManagerName query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var summary = await CaseAccess.Load(session, db, currentUser, query.CaseId, cancellationToken);
        var names = await UserNames.Of(db, currentUser.OrganisationId, [summary.ManagerId], cancellationToken);
        return names.GetValueOrDefault(summary.ManagerId, "–");
    }
}
