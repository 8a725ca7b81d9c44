using Marten;

namespace CaseManagement.Approvals;

/// <summary>What a team lead approves: an eligibility individual decision or the extension to 4 years.</summary>
public enum ApprovalKind
{
    IndividualDecision,
    SupportExtension,

    /// <summary>Another team asks this team to take over cases (approved by the receiving lead).</summary>
    Transfer,
}

/// <summary>
/// The team lead's decision on a request. <c>RequestId</c> is the id of the request event, which is also
/// the approval's id in the inbox and the API.
/// </summary>
public sealed record ApprovalDecided(
    Guid CaseId, Guid RequestId, ApprovalKind Kind, bool Approved, string? Comment, Guid DecidedBy, Instant DecidedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => DecidedBy;

    Instant ICaseEvent.At => DecidedAt;
}

/// <summary>A request waiting for the lead, as the inbox and the case show it.</summary>
public sealed record ApprovalRequestView(Guid Id, ApprovalKind Kind, string Justification, Guid RequestedBy, Instant RequestedAt);

/// <summary>The lead's latest decision of a kind, as the case shows it to the manager.</summary>
public sealed record ApprovalDecisionView(Guid RequestId, ApprovalKind Kind, bool Approved, string? Comment, Guid DecidedBy, Instant DecidedAt);

public static class ApprovalLabels
{
    public const int MaxCommentLength = 2000;

    public static string Kind(ApprovalKind kind) => kind switch
    {
        ApprovalKind.IndividualDecision => "Einzelfallentscheidung (Zielgruppe)",
        ApprovalKind.SupportExtension => "Verlängerung des Förderzeitraums auf 4 Jahre",
        _ => "Übernahme von Fällen aus einem anderen Team",
    };
}

/// <summary>One entry of the lead's approvals inbox.</summary>
public sealed record PendingApproval(
    Guid Id, ApprovalKind Kind, Guid CaseId, string CaseNumber, string FirstName, string LastName, Guid ManagerId, string ManagerName,
    string Justification, Instant RequestedAt, long CaseVersion)
{
    /// <summary>For a transfer: the case numbers (no names — the cases are not this team's yet) and who asked.</summary>
    public IReadOnlyList<string> CaseNumbers { get; init; } = [];

    public string? RequestedByName { get; init; }
}

/// <summary>What a decision did: for a transfer, how many cases it concerned.</summary>
public sealed record ApprovalOutcome(ApprovalKind Kind, Guid CaseId, long Version, int Cases);

/// <summary>Freigaben: what waits for the signed-in team lead (requests on cases of the own team's managers), oldest first.</summary>
public sealed record ListPendingApprovals : IQuery<IReadOnlyList<PendingApproval>>;

public sealed class ListPendingApprovalsHandler(IQuerySession session, AppDbContext db, ICurrentUser user)
    : IQueryHandler<ListPendingApprovals, IReadOnlyList<PendingApproval>>
{
    public async ValueTask<IReadOnlyList<PendingApproval>> Handle(ListPendingApprovals query, CancellationToken cancellationToken)
    {
        var managers = await TeamRoster.OfSignedInLead(db, user, cancellationToken);
        var cases = await ApprovalQueries.PendingCases(session, managers, cancellationToken);
        var incoming = user.TeamId is { } team ? await Transfers.To(session, team, cancellationToken) : [];
        var names = await UserNames.Of(db, user.OrganisationId,
            cases.Select(c => c.ManagerId).Concat(incoming.SelectMany(c => new[] { c.PendingTransfer!.ToManagerId, c.PendingTransfer.RequestedBy })), cancellationToken);
        var transfers = incoming.GroupBy(c => c.PendingTransfer!.TransferId).Select(g =>
        {
            var t = g.First().PendingTransfer!;
            return new PendingApproval(t.TransferId, ApprovalKind.Transfer, Guid.Empty, "", "", "", t.ToManagerId, names.GetValueOrDefault(t.ToManagerId, "–"),
                t.Note ?? "–", t.RequestedAt, 0)
            {
                CaseNumbers = g.Select(c => c.CaseNumber).Order(StringComparer.Ordinal).ToList(),
                RequestedByName = names.GetValueOrDefault(t.RequestedBy, "–"),
            };
        });
        return cases
            .SelectMany(c => c.PendingRequests.Select(r => new PendingApproval(
                r.Id, r.Kind, c.Id, c.CaseNumber, c.FirstName, c.LastName, c.ManagerId, names.GetValueOrDefault(c.ManagerId, "–"),
                r.Justification, r.RequestedAt, c.Version)))
            .Concat(transfers)
            .OrderBy(a => a.RequestedAt)
            .ToList();
    }
}

/// <summary>The lead's decision on a request (API: <c>approve</c> / <c>reject</c>).</summary>
public enum ApprovalDecision
{
    Approve,
    Reject,
}

/// <summary>Approve or reject a pending request; a rejection needs a comment.</summary>
public sealed record DecideApproval(Guid ApprovalId, ApprovalDecision? Decision, string? Comment) : ICommand<Outcome<ApprovalOutcome>>;

public sealed class DecideApprovalHandler(IDocumentSession session, AppDbContext db, CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<DecideApproval, Outcome<ApprovalOutcome>>
{
    public async ValueTask<Outcome<ApprovalOutcome>> Handle(DecideApproval command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var managers = await TeamRoster.OfSignedInLead(db, user, cancellationToken);
        var checks = new Checks();
        checks.Defined(command.Decision, nameof(DecideApproval.Decision), "Bitte „genehmigen“ oder „ablehnen“ wählen.");
        checks.Text(command.Comment, ApprovalLabels.MaxCommentLength, nameof(DecideApproval.Comment), "einen Kommentar zur Ablehnung", required: command.Decision == ApprovalDecision.Reject);
        var incoming = user.TeamId is { } team
            ? (await Transfers.To(session, team, cancellationToken)).Where(c => c.PendingTransfer!.TransferId == command.ApprovalId).ToList()
            : [];
        if (incoming.Count > 0)
        {
            return checks.Failed ? Outcome<ApprovalOutcome>.Failure(checks.Errors) : await DecideTransfer(incoming, command, cancellationToken);
        }

        var pending = (await ApprovalQueries.PendingCases(session, managers, cancellationToken))
            .FirstOrDefault(c => c.PendingRequests.Any(r => r.Id == command.ApprovalId))
            ?? throw new NotFoundException("Approval");
        var decided = await gate.Change(checks.Errors, pending.Id, pending.Version, CaseChangeKind.ApprovalDecision, state =>
                ClientCaseDecisions.DecideApproval(state, command.ApprovalId, command.Decision == ApprovalDecision.Approve, Checks.Trimmed(command.Comment), user.UserId, clock.GetCurrentInstant()),
            cancellationToken);
        return decided.Succeeded
            ? Outcome<ApprovalOutcome>.Success(new ApprovalOutcome(pending.PendingRequests.First(r => r.Id == command.ApprovalId).Kind, pending.Id, decided.Value!.Version, 1))
            : decided.As<ApprovalOutcome>();
    }

    /// <summary>Accept: every case of the transfer moves to the named manager of this team; reject: they stay. All or none.</summary>
    private async Task<Outcome<ApprovalOutcome>> DecideTransfer(List<CaseSummary> cases, DecideApproval command, CancellationToken ct)
    {
        var transfer = cases[0].PendingTransfer!;
        var accept = command.Decision == ApprovalDecision.Approve;
        if (accept && !await TeamMembers.IsActiveManagerOfTeam(db, user.OrganisationId, transfer.ToTeamId, transfer.ToManagerId, ct))
        {
            return Outcome<ApprovalOutcome>.Fail("", "Die vorgesehene Person ist nicht mehr aktiv in Ihrem Team. Bitte ablehnen; das abgebende Team kann neu anfragen.");
        }

        var now = clock.GetCurrentInstant();
        var comment = Checks.Trimmed(command.Comment);
        // Every case of the transfer at the version the receiving lead saw, in one transaction: all or none.
        var decided = await gate.ChangeAll(cases.Select(c => new CaseStep(c.Id, c.Version, CaseChangeKind.Responsibility, _ =>
        {
            var decision = new TransferDecided(c.Id, transfer.TransferId, accept, comment, user.UserId, now);
            return accept ? [decision, new CaseReassigned(c.Id, c.ManagerId, transfer.ToManagerId, transfer.Note, user.UserId, now)] : [decision];
        })).ToList(), GateAccess.ReceivingTeamLead, ct);
        return decided.Succeeded
            ? Outcome<ApprovalOutcome>.Success(new ApprovalOutcome(ApprovalKind.Transfer, Guid.Empty, 0, cases.Count))
            : decided.As<ApprovalOutcome>();
    }
}

/// <summary>Cases of the lead's team with a request waiting for the lead.</summary>
internal static class ApprovalQueries
{
    public static async Task<IReadOnlyList<CaseSummary>> PendingCases(IQuerySession session, IReadOnlyList<Guid> managers, CancellationToken ct)
    {
        if (managers.Count == 0)
        {
            return [];
        }

        var ids = managers.ToArray();
        return await session.Query<CaseSummary>()
            .Where(c => ids.Contains(c.ManagerId) && (c.IndividualDecisionPending || c.ExtensionPending))
            .ToListAsync(ct);
    }
}
