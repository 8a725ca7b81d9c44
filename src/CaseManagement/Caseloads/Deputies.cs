using Microsoft.Extensions.Caching.Memory;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Caseloads;

/// <summary>
/// Vertretung: for a date range (both days included, Europe/Berlin) a manager may work on the caseload
/// of an absent colleague of the same team. Access ends by itself after the last day; the lead can end
/// it earlier.
/// </summary>
public sealed class DeputyGrant
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    public Guid DeputyId { get; init; }

    public Guid AbsentManagerId { get; init; }

    public DateOnly FirstDay { get; init; }

    public DateOnly LastDay { get; set; }

    public Guid GrantedBy { get; init; }

    public DateTimeOffset GrantedAt { get; init; }

    public bool IsActiveOn(LocalDate day) => FirstDay <= day.ToDateOnly() && day.ToDateOnly() <= LastDay;
}

/// <summary>A grant as the Team page and the case page show it.</summary>
public sealed record DeputyGrantView(Guid Id, Guid DeputyId, string DeputyName, Guid AbsentManagerId, string AbsentManagerName, LocalDate FirstDay, LocalDate LastDay);

public static class DeputyGrants
{
    /// <summary>Whom the user deputises for today (the ids of the absent managers).</summary>
    /// <summary>
    /// As <see cref="ActiveFor(AppDbContext, Guid, Guid, LocalDate, CancellationToken)"/>, asked on every request of a manager:
    /// kept in memory for a minute per person and day; granting or ending a Vertretung forgets it on every node at once (SharedCache).
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> ActiveForCached(
        AppDbContext db, IMemoryCache cache, Guid organisationId, Guid deputyId, LocalDate today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var key = CacheKey(deputyId);
        if (cache.TryGetValue(key, out (LocalDate Day, IReadOnlyList<Guid> Absent) known) && known.Day == today)
        {
            return known.Absent;
        }

        var absent = await ActiveFor(db, organisationId, deputyId, today, ct);
        cache.Set(key, (today, absent), TimeSpan.FromMinutes(1));
        return absent;
    }

    public static string CacheKey(Guid deputyId) => $"deputy-for:{deputyId:N}";

    public static async Task<IReadOnlyList<Guid>> ActiveFor(AppDbContext db, Guid organisationId, Guid deputyId, LocalDate today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var day = today.ToDateOnly();
        return await db.DeputyGrants
            .Where(g => g.OrganisationId == organisationId && g.DeputyId == deputyId && g.FirstDay <= day && day <= g.LastDay)
            .Select(g => g.AbsentManagerId)
            .Distinct()
            .ToListAsync(ct);
    }

    /// <summary>Current and future grants of the given managers (as deputy or as absent), earliest first.</summary>
    public static async Task<IReadOnlyList<DeputyGrantView>> Current(AppDbContext db, Guid organisationId, IReadOnlyCollection<Guid> managers, LocalDate today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var day = today.ToDateOnly();
        var grants = await db.DeputyGrants
            .Where(g => g.OrganisationId == organisationId && g.LastDay >= day && (managers.Contains(g.AbsentManagerId) || managers.Contains(g.DeputyId)))
            .OrderBy(g => g.FirstDay)
            .ToListAsync(ct);
        var names = await UserNames.Of(db, organisationId, grants.SelectMany(g => new[] { g.DeputyId, g.AbsentManagerId }), ct);
        return grants.Select(g => new DeputyGrantView(g.Id, g.DeputyId, names.GetValueOrDefault(g.DeputyId, "–"), g.AbsentManagerId,
            names.GetValueOrDefault(g.AbsentManagerId, "–"), LocalDate.FromDateOnly(g.FirstDay), LocalDate.FromDateOnly(g.LastDay))).ToList();
    }
}

/// <summary>The lead appoints a deputy of the own team for an absent manager of the own team.</summary>
public sealed record GrantDeputy(Guid? DeputyId, Guid? AbsentManagerId, LocalDate? FirstDay, LocalDate? LastDay) : ICommand<Outcome<Guid>>;

/// <summary>The lead ends a grant before its last day (access ends today).</summary>
public sealed record EndDeputy(Guid GrantId) : ICommand<Outcome<Guid>>;

public sealed class DeputyHandlers(AppDbContext db, ICurrentUser user, IClock clock, SharedCache cache) :
    ICommandHandler<GrantDeputy, Outcome<Guid>>,
    ICommandHandler<EndDeputy, Outcome<Guid>>
{
    /// <summary>A Vertretung is for an absence, not a permanent second caseload.</summary>
    public const int MaxDays = 366;

    public async ValueTask<Outcome<Guid>> Handle(GrantDeputy command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var team = RequireLead();
        var today = clock.Today();
        var errors = new List<InputError>();
        if (command.DeputyId is not { } deputy || !await TeamMembers.IsActiveManagerOfTeam(db, user.OrganisationId, team, deputy, cancellationToken))
        {
            errors.Add(new(nameof(GrantDeputy.DeputyId), "Bitte als Vertretung eine aktive Integrationsmanagerin oder einen aktiven Integrationsmanager des eigenen Teams wählen."));
        }

        if (command.AbsentManagerId is not { } absent || !(await TeamRoster.ManagerIds(db, user.OrganisationId, team, cancellationToken)).Contains(absent))
        {
            errors.Add(new(nameof(GrantDeputy.AbsentManagerId), "Bitte die abwesende Person aus dem eigenen Team wählen."));
        }
        else if (absent == command.DeputyId)
        {
            errors.Add(new(nameof(GrantDeputy.DeputyId), "Niemand kann sich selbst vertreten."));
        }

        if (command.FirstDay is not { } first)
        {
            errors.Add(new(nameof(GrantDeputy.FirstDay), "Bitte den ersten Tag der Vertretung angeben."));
        }
        else if (first < today)
        {
            errors.Add(new(nameof(GrantDeputy.FirstDay), "Eine Vertretung kann nicht rückwirkend beginnen."));
        }
        else if (first > today.PlusYears(1))
        {
            errors.Add(new(nameof(GrantDeputy.FirstDay), "Eine Vertretung kann höchstens ein Jahr im Voraus eingetragen werden."));
        }

        if (command.LastDay is not { } last)
        {
            errors.Add(new(nameof(GrantDeputy.LastDay), "Bitte den letzten Tag der Vertretung angeben."));
        }
        else if (command.FirstDay is { } start && (last < start || Period.Between(start, last, PeriodUnits.Days).Days >= MaxDays))
        {
            errors.Add(new(nameof(GrantDeputy.LastDay), $"Der letzte Tag muss am oder nach dem ersten liegen, höchstens {MaxDays} Tage später."));
        }

        if (errors.Count > 0)
        {
            return Outcome<Guid>.Failure(errors);
        }

        var grant = new DeputyGrant
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = user.OrganisationId,
            DeputyId = command.DeputyId!.Value,
            AbsentManagerId = command.AbsentManagerId!.Value,
            FirstDay = command.FirstDay!.Value.ToDateOnly(),
            LastDay = command.LastDay!.Value.ToDateOnly(),
            GrantedBy = user.UserId,
            GrantedAt = clock.GetCurrentInstant().ToDateTimeOffset(),
        };
        db.DeputyGrants.Add(grant);
        await db.SaveChangesAsync(cancellationToken);
        await cache.ForgetEverywhereAsync(DeputyGrants.CacheKey(grant.DeputyId), CancellationToken.None);
        return Outcome<Guid>.Success(grant.Id);
    }

    public async ValueTask<Outcome<Guid>> Handle(EndDeputy command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var team = RequireLead();
        var managers = await TeamRoster.ManagerIds(db, user.OrganisationId, team, cancellationToken);
        var grant = await db.DeputyGrants.SingleOrDefaultAsync(g => g.Id == command.GrantId && g.OrganisationId == user.OrganisationId, cancellationToken);
        if (grant is null || !managers.Contains(grant.AbsentManagerId))
        {
            throw new NotFoundException("Deputy grant");
        }

        var yesterday = clock.Today().PlusDays(-1).ToDateOnly();
        if (grant.LastDay <= yesterday)
        {
            return Outcome<Guid>.Fail("", "Diese Vertretung ist bereits beendet.");
        }

        // Ending a grant that has not started yet removes it; a running one ends with yesterday.
        if (grant.FirstDay > yesterday)
        {
            db.DeputyGrants.Remove(grant);
        }
        else
        {
            grant.LastDay = yesterday;
        }

        await db.SaveChangesAsync(cancellationToken);
        await cache.ForgetEverywhereAsync(DeputyGrants.CacheKey(grant.DeputyId), CancellationToken.None);
        return Outcome<Guid>.Success(grant.Id);
    }

    private Guid RequireLead() =>
        user.IsAuthenticated && user.IsInRole(Roles.TeamLead) && user.TeamId is { } team
            ? team
            : throw new UnauthorizedAccessException("Deputies are appointed by team leads.");
}
