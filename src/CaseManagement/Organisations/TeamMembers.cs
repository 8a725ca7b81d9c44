using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>Membership questions other modules ask (kept here so that EF and Marten LINQ never meet in one file).</summary>
public static class TeamMembers
{
    public static async Task<bool> IsActiveManagerOfTeam(AppDbContext db, Guid organisationId, Guid teamId, Guid userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var managerRoleId = await db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync(ct);
        return await db.Users.AnyAsync(
            u => u.Id == userId && u.OrganisationId == organisationId && u.TeamId == teamId && u.IsActive
                 && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == managerRoleId),
            ct);
    }
}

/// <summary>The team of an active manager of the organisation (null: no such manager).</summary>
public static class ManagerTeams
{
    public static async Task<Guid?> Of(AppDbContext db, Guid organisationId, Guid userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var managerRoleId = await db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync(ct);
        return await db.Users
            .Where(u => u.Id == userId && u.OrganisationId == organisationId && u.IsActive && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == managerRoleId))
            .Select(u => u.TeamId)
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>Each user of the organisation who belongs to a team → the team's name (the outcomes report groups by it).</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> NamesByUser(AppDbContext db, Guid organisationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await (from u in db.Users
                      join t in db.Teams on u.TeamId equals t.Id
                      where u.OrganisationId == organisationId && t.OrganisationId == organisationId
                      select new { u.Id, t.Name }).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
    }

    /// <summary>Of the given users, the active managers of the organisation with their team (one query for an import's batch).</summary>
    public static async Task<IReadOnlyDictionary<Guid, Guid?>> ActiveOf(AppDbContext db, Guid organisationId, IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (userIds is not { Count: > 0 })
        {
            return new Dictionary<Guid, Guid?>();
        }

        var ids = userIds.ToArray();
        var managerRoleId = await db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync(ct);
        return await db.Users
            .Where(u => ids.Contains(u.Id) && u.OrganisationId == organisationId && u.IsActive && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == managerRoleId))
            .ToDictionaryAsync(u => u.Id, u => u.TeamId, ct);
    }

    /// <summary>Whether the user is an active manager of the organisation (in any team).</summary>
    public static async Task<bool> IsActiveManager(AppDbContext db, Guid organisationId, Guid userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var managerRoleId = await db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync(ct);
        return await db.Users.AnyAsync(u => u.Id == userId && u.OrganisationId == organisationId && u.IsActive && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == managerRoleId), ct);
    }
}

/// <summary>Ids of every manager account of a team (active or not: their cases stay the team's).</summary>
public static class TeamRoster
{
    /// <summary>The managers of the signed-in team lead's team (decisions, caseload, reports): team leads only (others: 403).</summary>
    public static async Task<IReadOnlyList<Guid>> OfSignedInLead(AppDbContext db, ICurrentUser user, CancellationToken ct) =>
        [.. (await NamesOfSignedInLead(db, user, ct)).Keys];

    /// <summary>As <see cref="OfSignedInLead"/>, with each manager's display name (one query: the Team dashboard needs both).</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> NamesOfSignedInLead(AppDbContext db, ICurrentUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.IsAuthenticated || !user.IsInRole(Roles.TeamLead))
        {
            throw new UnauthorizedAccessException("This is for team leads.");
        }

        return user.TeamId is { } team
            ? await Managers(db, user.OrganisationId, team).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct)
            : new Dictionary<Guid, string>();
    }

    public static async Task<IReadOnlyList<Guid>> ManagerIds(AppDbContext db, Guid organisationId, Guid teamId, CancellationToken ct) =>
        await Managers(db, organisationId, teamId).Select(u => u.Id).ToListAsync(ct);

    /// <summary>The team's manager accounts, the role looked up in the same query.</summary>
    private static IQueryable<UserAccount> Managers(AppDbContext db, Guid organisationId, Guid teamId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Users.Where(u => u.OrganisationId == organisationId && u.TeamId == teamId
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Manager)));
    }
}

/// <summary>Display names of users of one organisation, for authors in timelines.</summary>
public static class UserNames
{
    public static async Task<IReadOnlyDictionary<Guid, string>> Of(AppDbContext db, Guid organisationId, IEnumerable<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var wanted = ids.Distinct().ToList();
        return await db.Users
            .Where(u => u.OrganisationId == organisationId && wanted.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }
}

public static class OrganisationNames
{
    public static async Task<string> Of(AppDbContext db, Guid organisationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync(ct);
    }
}

/// <summary>Active managers of the organisation's other teams (targets of a transfer), with their team's name.</summary>
public static class OtherTeamManagers
{
    public static async Task<IReadOnlyList<(Guid Id, string Name, string Team)>> Of(AppDbContext db, Guid organisationId, Guid ownTeam, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var managerRoleId = await db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync(ct);
        var rows = await (from u in db.Users
                          join t in db.Teams on u.TeamId equals t.Id
                          where u.OrganisationId == organisationId && u.IsActive && u.TeamId != ownTeam
                                && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == managerRoleId)
                          orderby t.Name, u.DisplayName
                          select new { u.Id, u.DisplayName, Team = t.Name }).ToListAsync(ct);
        return rows.Select(r => (r.Id, r.DisplayName, r.Team)).ToList();
    }
}

/// <summary>For every manager of the organisation, the lead of the manager's team (the first by name when there are several).</summary>
public static class TeamLeads
{
    public static async Task<IReadOnlyDictionary<Guid, Guid>> ByManager(AppDbContext db, Guid organisationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var leadRoleId = await db.Roles.Where(r => r.Name == Roles.TeamLead).Select(r => r.Id).SingleAsync(ct);
        var leads = await db.Users
            .Where(u => u.OrganisationId == organisationId && u.IsActive && u.TeamId != null && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == leadRoleId))
            .OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.TeamId })
            .ToListAsync(ct);
        var firstLead = leads.GroupBy(l => l.TeamId).ToDictionary(g => g.Key!.Value, g => g.First().Id);
        var members = await db.Users.Where(u => u.OrganisationId == organisationId && u.TeamId != null).Select(u => new { u.Id, u.TeamId }).ToListAsync(ct);
        return members.Where(m => firstLead.ContainsKey(m.TeamId!.Value)).ToDictionary(m => m.Id, m => firstLead[m.TeamId!.Value]);
    }
}
