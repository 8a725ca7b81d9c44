using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>Who the signed-in user is, as the start page and <c>GET /api/v1/me</c> show it.</summary>
public sealed record MyProfile(
    Guid UserId,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    Guid OrganisationId,
    string OrganisationName,
    Guid? TeamId,
    string? TeamName,
    bool TwoFactorEnabled);

public sealed record GetMyProfile : IQuery<MyProfile>;

public sealed class GetMyProfileHandler(AppDbContext db, ICurrentUser currentUser) : IQueryHandler<GetMyProfile, MyProfile>
{
    public async ValueTask<MyProfile> Handle(GetMyProfile query, CancellationToken cancellationToken)
    {
        if (!currentUser.IsAuthenticated)
        {
            throw new UnauthorizedAccessException("Not signed in.");
        }

        var row = await (
                from u in db.Users
                where u.Id == currentUser.UserId && u.OrganisationId == currentUser.OrganisationId
                join o in db.Organisations on u.OrganisationId equals o.Id
                select new
                {
                    User = u,
                    OrganisationName = o.Name,
                    TeamName = (from t in db.Teams where t.Id == u.TeamId select t.Name).FirstOrDefault(),
                    Roles = (from ur in db.UserRoles
                             join r in db.Roles on ur.RoleId equals r.Id
                             where ur.UserId == u.Id
                             select r.Name).ToList(),
                })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("User");

        return new MyProfile(
            row.User.Id,
            row.User.Email ?? "",
            row.User.DisplayName,
            row.Roles.OfType<string>().ToList(),
            row.User.OrganisationId,
            row.OrganisationName,
            row.User.TeamId,
            row.TeamName,
            row.User.TwoFactorEnabled);
    }
}
