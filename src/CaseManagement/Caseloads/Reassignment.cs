using Marten;

namespace CaseManagement.Caseloads;

/// <summary>The case moved from one manager to another (both named), with the lead's optional note.</summary>
public sealed record CaseReassigned(Guid CaseId, Guid FromManagerId, Guid ToManagerId, string? Note, Guid ReassignedBy, Instant ReassignedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ReassignedBy;

    Instant ICaseEvent.At => ReassignedAt;
}

/// <summary>The lead asked another team of the organisation to take the case over (its lead must accept).</summary>
public sealed record TransferRequested(
    Guid CaseId, Guid TransferId, Guid FromManagerId, Guid ToManagerId, Guid ToTeamId, string? Note, Guid RequestedBy, Instant RequestedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => RequestedBy;

    Instant ICaseEvent.At => RequestedAt;
}

/// <summary>The receiving team's lead accepted (the case moves) or rejected (it stays) the transfer.</summary>
public sealed record TransferDecided(Guid CaseId, Guid TransferId, bool Accepted, string? Comment, Guid DecidedBy, Instant DecidedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => DecidedBy;

    Instant ICaseEvent.At => DecidedAt;
}

/// <summary>A transfer waiting for the receiving lead, as the case keeps it.</summary>
public sealed record TransferView(Guid TransferId, Guid ToManagerId, Guid ToTeamId, string? Note, Guid RequestedBy, Instant RequestedAt);

/// <summary>What a reassignment did: moved within the team, or asked another team to take over.</summary>
public sealed record ReassignResult(int Reassigned, int TransferRequested, Guid? TransferId);

/// <summary>
/// A team lead moves one or many cases of the own team to another active manager of the team: all or
/// none, in one transaction; a case changed meanwhile stops the whole move.
/// </summary>
public sealed record ReassignCases(IReadOnlyList<Guid>? CaseIds, Guid? ToManagerId, string? Note) : ICommand<Outcome<ReassignResult>>
{
    /// <summary>The version of each case the lead confirmed (the confirmation page): a case changed since stops the whole move.</summary>
    public IReadOnlyDictionary<Guid, long>? ExpectedVersions { get; init; }

    /// <summary>Only check (the confirmation page before the move): every check runs, nothing is written.</summary>
    public bool CheckOnly { get; init; }
}

public sealed class ReassignCasesHandler(IDocumentSession session, AppDbContext db, CaseGate gate, ICurrentUser user, IClock clock) : ICommandHandler<ReassignCases, Outcome<ReassignResult>>
{
    public const int MaxCases = 1000;

    public async ValueTask<Outcome<ReassignResult>> Handle(ReassignCases command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var team = await TeamRoster.OfSignedInLead(db, user, cancellationToken);
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

        // A manager of the own team: moved at once. A manager of another team: a transfer request to that team's lead.
        var targetTeam = command.ToManagerId is { } target ? await ManagerTeams.Of(db, user.OrganisationId, target, cancellationToken) : null;
        if (targetTeam is null || user.TeamId is null)
        {
            checks.Add(nameof(ReassignCases.ToManagerId), "Bitte eine aktive Integrationsmanagerin oder einen aktiven Integrationsmanager der Organisation wählen.");
        }

        checks.Text(command.Note, 1000, nameof(ReassignCases.Note), "die Notiz");
        if (checks.Failed)
        {
            return Outcome<ReassignResult>.Failure(checks.Errors);
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
            return Outcome<ReassignResult>.Fail(nameof(ReassignCases.ToManagerId), "Mindestens ein ausgewählter Fall liegt schon bei dieser Person; es wurde nichts umverteilt.");
        }

        if (cases.Any(c => c.PendingTransfer is not null))
        {
            return Outcome<ReassignResult>.Fail(nameof(ReassignCases.CaseIds), "Mindestens ein ausgewählter Fall wartet schon auf die Übernahme durch ein anderes Team; es wurde nichts umverteilt.");
        }

        var now = clock.GetCurrentInstant();
        var note = Checks.Trimmed(command.Note);
        var toManager = command.ToManagerId!.Value;
        if (command.CheckOnly)
        {
            return Outcome<ReassignResult>.Success(targetTeam == user.TeamId ? new(cases.Count, 0, null) : new(0, cases.Count, null));
        }

        var transfer = targetTeam == user.TeamId ? (Guid?)null : Guid.CreateVersion7();
        // Every case at the version the lead saw, through the gate (processing rules: docs/processing-rules.md), in one
        // transaction: a case changed meanwhile stops the whole move.
        var moved = await gate.ChangeAll(cases.Select(c => new CaseStep(c.Id, command.ExpectedVersions?.GetValueOrDefault(c.Id, c.Version) ?? c.Version, CaseChangeKind.Responsibility, _ => transfer is { } id
            ? [new TransferRequested(c.Id, id, c.ManagerId, toManager, targetTeam!.Value, note, user.UserId, now)]
            : [new CaseReassigned(c.Id, c.ManagerId, toManager, note, user.UserId, now)])).ToList(), GateAccess.CaseWorker, cancellationToken);
        return !moved.Succeeded
            ? moved.As<ReassignResult>()
            : Outcome<ReassignResult>.Success(transfer is null ? new(cases.Count, 0, null) : new(0, cases.Count, transfer));
    }
}

/// <summary>A case of the lead's team with its manager's name (the team caseload for reassignment).</summary>
public sealed record TeamCase(CaseSummary Case, string ManagerName);

/// <summary>The team lead's view of the team's caseload, filtered by manager, status and name or case number.</summary>
public sealed record ListTeamCases(Guid? ManagerId, CaseStatus? Status, string? Search, CaseFigure? Figure = null) : IQuery<TeamCaseList>;

public sealed record TeamCaseList(IReadOnlyList<TeamCase> Cases, IReadOnlyList<(Guid Id, string Name)> Managers)
{
    /// <summary>Managers of the organisation's other teams: a move to them is a transfer their lead accepts.</summary>
    public IReadOnlyList<(Guid Id, string Name, string Team)> OtherTeams { get; init; } = [];
}

public sealed class ListTeamCasesHandler(
    IQuerySession session, Npgsql.NpgsqlDataSource dataSource, CaseCards.RequestMemo memo, AppDbContext db, ICurrentUser user, IClock clock, DashboardSettings settings)
    : IQueryHandler<ListTeamCases, TeamCaseList>
{
    public async ValueTask<TeamCaseList> Handle(ListTeamCases query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var names = await TeamRoster.NamesOfSignedInLead(db, user, cancellationToken);
        var team = names.Keys.ToList();
        var managers = (query.ManagerId is { } only ? team.Where(m => m == only) : team).ToArray();
        var search = query.Search?.Trim();
        var today = clock.Today();
        var list = (await memo.OfManagersAsync(session, dataSource, managers, cancellationToken))
            .Where(c => query.Status is not { } status || c.Status == status)
            .Where(c => string.IsNullOrEmpty(search) || c.MatchesSearch(search))
            .Where(c => query.Figure is not { } figure || CaseFigures.Count(c, figure, today, settings) > 0)
            .ToList();
        return new TeamCaseList(
            list.OrderBy(c => c.LastName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.FirstName, StringComparer.CurrentCultureIgnoreCase)
                .Select(c => new TeamCase(c, names.GetValueOrDefault(c.ManagerId, "–"))).ToList(),
            TeamRosterNames.Sorted(team, names))
        {
            OtherTeams = user.TeamId is { } own ? await OtherTeamManagers.Of(db, user.OrganisationId, own, cancellationToken) : [],
        };
    }
}

/// <summary>The managers of the signed-in lead's team, by name.</summary>
public sealed record ListTeamManagers : IQuery<IReadOnlyList<(Guid Id, string Name)>>;

public sealed class ListTeamManagersHandler(AppDbContext db, ICurrentUser user) : IQueryHandler<ListTeamManagers, IReadOnlyList<(Guid Id, string Name)>>
{
    public async ValueTask<IReadOnlyList<(Guid Id, string Name)>> Handle(ListTeamManagers query, CancellationToken cancellationToken)
    {
        var names = await TeamRoster.NamesOfSignedInLead(db, user, cancellationToken);
        var team = names.Keys.ToList();
        return TeamRosterNames.Sorted(team, names);
    }
}

internal static class TeamRosterNames
{
    public static IReadOnlyList<(Guid Id, string Name)> Sorted(IEnumerable<Guid> team, IReadOnlyDictionary<Guid, string> names) =>
        team.Select(m => (m, names.GetValueOrDefault(m, "–"))).OrderBy(m => m.Item2, StringComparer.CurrentCultureIgnoreCase).ToList();
}

internal static class Transfers
{
    /// <summary>Cases with a pending transfer to the given team.</summary>
    public static async Task<IReadOnlyList<CaseSummary>> To(IQuerySession session, Guid teamId, CancellationToken ct) =>
        await session.Query<CaseSummary>().Where(c => c.PendingTransfer != null && c.PendingTransfer.ToTeamId == teamId).ToListAsync(ct);
}
