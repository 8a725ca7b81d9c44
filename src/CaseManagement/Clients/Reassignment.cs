using CaseManagement.Common;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using JasperFx;
using Marten;
using Mediator;
using NodaTime;

namespace CaseManagement.Clients;

/// <summary>The case moved from one manager to another (both named), with the lead's optional note.</summary>
public sealed record CaseReassigned(Guid CaseId, Guid FromManagerId, Guid ToManagerId, string? Note, Guid ReassignedBy, Instant ReassignedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ReassignedBy;

    Instant ICaseEvent.At => ReassignedAt;
}

/// <summary>
/// A team lead moves one or many cases of the own team to another active manager of the team: all or
/// none, in one transaction; a case changed meanwhile stops the whole move.
/// </summary>
public sealed record ReassignCases(IReadOnlyList<Guid>? CaseIds, Guid? ToManagerId, string? Note) : ICommand<Outcome<int>>;

public sealed class ReassignCasesHandler(IDocumentSession session, AppDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<ReassignCases, Outcome<int>>
{
    public const int MaxCases = 1000;

    public async ValueTask<Outcome<int>> Handle(ReassignCases command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var team = await Approvals.TeamOfLead(db, user, cancellationToken);
        var ids = (command.CaseIds ?? []).Distinct().ToArray();
        var checks = new Checks();
        if (ids.Length == 0)
        {
            checks.Add(nameof(ReassignCases.CaseIds), "Bitte mindestens einen Fall auswählen.");
        }
        else if (ids.Length > MaxCases)
        {
            checks.Add(nameof(ReassignCases.CaseIds), $"Bitte höchstens {MaxCases} Fälle auf einmal umverteilen.");
        }

        if (command.ToManagerId is not { } target || user.TeamId is not { } teamId
            || !await TeamMembers.IsActiveManagerOfTeam(db, user.OrganisationId, teamId, target, cancellationToken))
        {
            checks.Add(nameof(ReassignCases.ToManagerId), "Bitte eine aktive Integrationsmanagerin oder einen aktiven Integrationsmanager des eigenen Teams wählen.");
        }

        checks.Text(command.Note, 1000, nameof(ReassignCases.Note), "die Notiz");
        if (checks.Failed)
        {
            return Outcome<int>.Failure(checks.Errors);
        }

        var cases = await session.LoadManyAsync<CaseSummary>(cancellationToken, ids);
        var teamManagers = team.ToHashSet();
        if (cases.Count != ids.Length || cases.Any(c => !teamManagers.Contains(c.ManagerId)))
        {
            // Ids outside the own team read as "not found", like every other access to a foreign case.
            throw new NotFoundException("Case");
        }

        if (cases.Any(c => c.ManagerId == command.ToManagerId))
        {
            return Outcome<int>.Fail(nameof(ReassignCases.ToManagerId), "Mindestens ein ausgewählter Fall liegt schon bei dieser Person; es wurde nichts umverteilt.");
        }

        var now = clock.GetCurrentInstant();
        var note = Checks.Trimmed(command.Note);
        foreach (var c in cases)
        {
            session.Events.Append(c.Id, c.Version + 1, new CaseReassigned(c.Id, c.ManagerId, command.ToManagerId!.Value, note, user.UserId, now));
        }

        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyException)
        {
            return Outcome<int>.Fail(CaseWriter.StaleField, "Mindestens ein ausgewählter Fall wurde inzwischen geändert; es wurde nichts umverteilt. Bitte die Liste neu laden und erneut umverteilen.");
        }

        return Outcome<int>.Success(cases.Count);
    }
}

/// <summary>A case of the lead's team with its manager's name (the team caseload for reassignment).</summary>
public sealed record TeamCase(CaseSummary Case, string ManagerName);

/// <summary>The team lead's view of the team's caseload, filtered by manager, status and name or case number.</summary>
public sealed record ListTeamCases(Guid? ManagerId, CaseStatus? Status, string? Search, CaseFigure? Figure = null) : IQuery<TeamCaseList>;

public sealed record TeamCaseList(IReadOnlyList<TeamCase> Cases, IReadOnlyList<(Guid Id, string Name)> Managers);

public sealed class ListTeamCasesHandler(IQuerySession session, AppDbContext db, ICurrentUser user, IClock clock, DashboardSettings settings)
    : IQueryHandler<ListTeamCases, TeamCaseList>
{
    public async ValueTask<TeamCaseList> Handle(ListTeamCases query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var team = await Approvals.TeamOfLead(db, user, cancellationToken);
        var names = await UserNames.Of(db, user.OrganisationId, team, cancellationToken);
        var managers = (query.ManagerId is { } only ? team.Where(m => m == only) : team).ToArray();
        var cases = session.Query<CaseSummary>().Where(c => managers.Contains(c.ManagerId));
        if (query.Status is { } status)
        {
            cases = cases.Where(c => c.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim();
            cases = cases.Where(c => c.LastName.Contains(search, StringComparison.OrdinalIgnoreCase)
                                     || c.FirstName.Contains(search, StringComparison.OrdinalIgnoreCase)
                                     || c.CaseNumber.Contains(search, StringComparison.OrdinalIgnoreCase));
        }

        var today = clock.Today();
        var list = (managers.Length == 0 ? [] : await cases.ToListAsync(cancellationToken))
            .Where(c => query.Figure is not { } figure || CaseFigures.Count(c, figure, today, settings) > 0)
            .ToList();
        return new TeamCaseList(
            list.OrderBy(c => c.LastName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.FirstName, StringComparer.CurrentCultureIgnoreCase)
                .Select(c => new TeamCase(c, names.GetValueOrDefault(c.ManagerId, "–"))).ToList(),
            TeamRosterNames.Sorted(team, names));
    }
}

/// <summary>The managers of the signed-in lead's team, by name.</summary>
public sealed record ListTeamManagers : IQuery<IReadOnlyList<(Guid Id, string Name)>>;

public sealed class ListTeamManagersHandler(AppDbContext db, ICurrentUser user) : IQueryHandler<ListTeamManagers, IReadOnlyList<(Guid Id, string Name)>>
{
    public async ValueTask<IReadOnlyList<(Guid Id, string Name)>> Handle(ListTeamManagers query, CancellationToken cancellationToken)
    {
        var team = await Approvals.TeamOfLead(db, user, cancellationToken);
        var names = await UserNames.Of(db, user.OrganisationId, team, cancellationToken);
        return TeamRosterNames.Sorted(team, names);
    }
}

internal static class TeamRosterNames
{
    public static IReadOnlyList<(Guid Id, string Name)> Sorted(IEnumerable<Guid> team, IReadOnlyDictionary<Guid, string> names) =>
        team.Select(m => (m, names.GetValueOrDefault(m, "–"))).OrderBy(m => m.Item2, StringComparer.CurrentCultureIgnoreCase).ToList();
}
