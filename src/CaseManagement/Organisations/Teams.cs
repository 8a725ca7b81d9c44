using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>A team of the own organisation with its members' count and leads.</summary>
public sealed record TeamSummary(Guid Id, string Name, int MemberCount, IReadOnlyList<string> Leads);

public sealed record ListTeams : IQuery<IReadOnlyList<TeamSummary>>;

public sealed class ListTeamsHandler(AppDbContext db, ICurrentUser currentUser) : IQueryHandler<ListTeams, IReadOnlyList<TeamSummary>>
{
    public async ValueTask<IReadOnlyList<TeamSummary>> Handle(ListTeams query, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        var teams = await db.Teams.Where(t => t.OrganisationId == organisationId).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var members = (await UserQueries.InOrganisation(db, organisationId, u => u.TeamId != null).ToListAsync(cancellationToken))
            .Select(r => new { r.User.TeamId, r.User.DisplayName, r.Role })
            .ToList();
        return teams.Select(t => new TeamSummary(
                t.Id,
                t.Name,
                members.Count(m => m.TeamId == t.Id),
                members.Where(m => m.TeamId == t.Id && m.Role == Roles.TeamLead).Select(m => m.DisplayName).Order().ToList()))
            .ToList();
    }
}

public sealed record CreateTeam(string Name) : ICommand<Outcome<Guid>>;

public sealed class CreateTeamHandler(AppDbContext db, ICurrentUser currentUser) : ICommandHandler<CreateTeam, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(CreateTeam command, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        if (await TeamInput.Validate(db, organisationId, command.Name, null, cancellationToken) is { } error)
        {
            return Outcome<Guid>.Failure(error);
        }

        var team = new Team { Id = Guid.CreateVersion7(), OrganisationId = organisationId, Name = command.Name.Trim() };
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(team.Id);
    }
}

public sealed record RenameTeam(Guid TeamId, string Name) : ICommand<Outcome<Guid>>;

public sealed class RenameTeamHandler(AppDbContext db, ICurrentUser currentUser) : ICommandHandler<RenameTeam, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(RenameTeam command, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == command.TeamId && t.OrganisationId == organisationId, cancellationToken)
            ?? throw new NotFoundException("Team");
        if (await TeamInput.Validate(db, organisationId, command.Name, team.Id, cancellationToken) is { } error)
        {
            return Outcome<Guid>.Failure(error);
        }

        team.Name = command.Name.Trim();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(team.Id);
    }
}

internal static class TeamInput
{
    public static async Task<InputError?> Validate(AppDbContext db, Guid organisationId, string? name, Guid? self, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return new InputError("Name", "Bitte einen Teamnamen angeben.");
        }

        var trimmed = name.Trim();
        if (trimmed.Length > 100)
        {
            return new InputError("Name", "Der Teamname darf höchstens 100 Zeichen lang sein.");
        }

        var taken = await db.Teams.AnyAsync(t => t.OrganisationId == organisationId && t.Name == trimmed && t.Id != self, ct);
        return taken ? new InputError("Name", "Ein Team mit diesem Namen gibt es bereits.") : null;
    }
}
