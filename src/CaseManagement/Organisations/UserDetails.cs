using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>A user of the own organisation with the version stamp an edit form posts back.</summary>
public sealed record UserDetails(UserSummary Summary, string ConcurrencyStamp);

public sealed record GetUser(Guid UserId) : IQuery<UserDetails>;

public sealed class GetUserHandler(AppDbContext db, ICurrentUser currentUser, IClock clock)
    : IQueryHandler<GetUser, UserDetails>
{
    public async ValueTask<UserDetails> Handle(GetUser query, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        var row = await UserQueries.InOrganisation(db, organisationId, u => u.Id == query.UserId)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("User");
        return new UserDetails(
            row.ToSummary(clock.GetCurrentInstant().ToDateTimeOffset()),
            row.User.ConcurrencyStamp ?? "");
    }
}
