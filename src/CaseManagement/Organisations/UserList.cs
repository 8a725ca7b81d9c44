using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>One row of the administrator's user list.</summary>
public sealed record UserSummary(
    Guid Id,
    string Email,
    string DisplayName,
    string Role,
    Guid? TeamId,
    string? TeamName,
    bool IsActive,
    bool IsLockedOut,
    bool TwoFactorEnabled,
    bool IsProtected);

/// <summary>Users of the administrator's own organisation, never of another.</summary>
public sealed record ListUsers : IQuery<IReadOnlyList<UserSummary>>;

public sealed class ListUsersHandler(AppDbContext db, ICurrentUser currentUser, IClock clock)
    : IQueryHandler<ListUsers, IReadOnlyList<UserSummary>>
{
    public async ValueTask<IReadOnlyList<UserSummary>> Handle(ListUsers query, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        var rows = await UserQueries.InOrganisation(db, organisationId).ToListAsync(cancellationToken);
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        return rows.OrderBy(r => r.User.DisplayName, StringComparer.CurrentCulture).Select(r => r.ToSummary(now)).ToList();
    }
}

/// <param name="Role">The organisation role (never the platform operator's).</param>
/// <param name="IsProtected">Holds a role the organisation's administration may not touch (<see cref="SeparationOfDuties"/>).</param>
internal sealed record UserRow(UserAccount User, string? Role, string? TeamName, bool IsProtected)
{
    public UserSummary ToSummary(DateTimeOffset now) => new(
        User.Id,
        User.Email ?? "",
        User.DisplayName,
        Role ?? "",
        User.TeamId,
        TeamName,
        User.IsActive,
        User.LockoutEnabled && User.LockoutEnd is { } end && end > now,
        User.TwoFactorEnabled,
        IsProtected);
}

internal static class UserQueries
{
    /// <summary>Users of one organisation with role and team name; filter on the user before the projection.</summary>
    public static IQueryable<UserRow> InOrganisation(
        AppDbContext db, Guid organisationId, System.Linq.Expressions.Expression<Func<UserAccount, bool>>? filter = null) =>
        from u in db.Users.Where(u => u.OrganisationId == organisationId).Where(filter ?? (_ => true))
        let role = (from ur in db.UserRoles
                    join r in db.Roles on ur.RoleId equals r.Id
                    where ur.UserId == u.Id && r.Name != Roles.PlatformOperator
                    select r.Name).FirstOrDefault()
        let team = (from t in db.Teams where t.Id == u.TeamId select t.Name).FirstOrDefault()
        let isProtected = (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == u.Id && (r.Name == Roles.DataProtectionOfficer || r.Name == Roles.PlatformOperator)
                           select r.Id).Any()
        select new UserRow(u, role, team, isProtected);
}
