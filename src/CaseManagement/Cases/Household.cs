using Marten;

namespace CaseManagement.Cases;

/// <summary>How a household member is related to the client (seen from the client).</summary>
public enum HouseholdRelation
{
    /// <summary>Ehe- oder Lebenspartner:in.</summary>
    Partner,

    /// <summary>Kind.</summary>
    Child,

    /// <summary>Elternteil.</summary>
    Parent,

    /// <summary>Geschwister.</summary>
    Sibling,

    /// <summary>Sonstige Angehörige.</summary>
    Other,
}

/// <summary>
/// Two cases of one household are linked. Written to both streams, each from its own side; the link holds
/// the other case by id and number only (no personal data of the other person in this case's events).
/// </summary>
public sealed record HouseholdMemberLinked(
    Guid CaseId, Guid MemberCaseId, string MemberCaseNumber, HouseholdRelation Relation, Guid LinkedBy, Instant LinkedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => LinkedBy;

    Instant ICaseEvent.At => LinkedAt;
}

public sealed record HouseholdMemberUnlinked(Guid CaseId, Guid MemberCaseId, string MemberCaseNumber, Guid UnlinkedBy, Instant UnlinkedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => UnlinkedBy;

    Instant ICaseEvent.At => UnlinkedAt;
}

/// <summary>A household member as the case page shows it.</summary>
public sealed record HouseholdMemberView(Guid CaseId, string CaseNumber, HouseholdRelation Relation);

public static class HouseholdRules
{
    public static string RelationLabel(HouseholdRelation relation) => Labels.Of(relation);

    /// <summary>The relation seen from the other side: the parent of a child is the child's parent.</summary>
    public static HouseholdRelation Reverse(HouseholdRelation relation) => relation switch
    {
        HouseholdRelation.Child => HouseholdRelation.Parent,
        HouseholdRelation.Parent => HouseholdRelation.Child,
        _ => relation,
    };

    /// <summary>Finds the member's case by number among the cases the user works on; null when there is none.</summary>
    internal static async Task<CaseSummary?> FindMember(IDocumentSession session, AppDbContext db, ICurrentUser user, string caseNumber, CancellationToken ct)
    {
        var number = caseNumber.Trim();
        var found = await session.Query<CaseSummary>().Where(c => c.CaseNumber == number).ToListAsync(ct);
        return found.Count == 1 && await CaseAccess.MayWorkOn(found[0], user, db, ct) ? found[0] : null;
    }
}

/// <summary>Links the case of a family member living in the same household (by case number).</summary>
public sealed record LinkHouseholdMember(Guid CaseId, long ExpectedVersion, string? MemberCaseNumber, HouseholdRelation? Relation)
    : ICommand<Outcome<CaseChanged>>;

public sealed class LinkHouseholdMemberHandler(IDocumentSession session, AppDbContext db, CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<LinkHouseholdMember, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(LinkHouseholdMember command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        checks.Text(command.MemberCaseNumber, 20, nameof(LinkHouseholdMember.MemberCaseNumber), "die Fallnummer des Haushaltsmitglieds", required: true);
        checks.Defined(command.Relation, nameof(LinkHouseholdMember.Relation), "Bitte die Beziehung zum Haushaltsmitglied wählen.");
        if (checks.Failed)
        {
            return Outcome<CaseChanged>.Failure(checks.Errors);
        }

        await CaseAccess.Load(session, db, user, command.CaseId, cancellationToken);

        // Only cases the user works on can be linked: the list of a colleague's clients is not searchable this way.
        var member = await HouseholdRules.FindMember(session, db, user, command.MemberCaseNumber!, cancellationToken);
        if (member is null)
        {
            return Outcome<CaseChanged>.Fail(nameof(LinkHouseholdMember.MemberCaseNumber),
                "Unter dieser Fallnummer gibt es keinen Fall, den Sie bearbeiten. Bitte die Nummer prüfen (z. B. 2026-0042).");
        }

        // Both streams in one transaction: this case at the version the user saw, the member's at the version read now.
        var relation = command.Relation!.Value;
        var now = clock.GetCurrentInstant();
        var caseNumber = "";
        var outcome = await gate.ChangeAll(
        [
            new CaseStep(command.CaseId, command.ExpectedVersion, CaseChangeKind.Household, state =>
            {
                caseNumber = state.CaseNumber;
                if (member.Id == state.Id)
                {
                    throw new CaseRuleException("Ein Fall kann nicht mit sich selbst verknüpft werden.");
                }

                return state.HouseholdMembers.Contains(member.Id)
                    ? throw CaseRuleException.Transition($"Fall {member.CaseNumber} gehört bereits zum Haushalt.")
                    : [new HouseholdMemberLinked(state.Id, member.Id, member.CaseNumber, relation, user.UserId, now)];
            }),
            new CaseStep(member.Id, null, CaseChangeKind.Household, other =>
                [new HouseholdMemberLinked(other.Id, command.CaseId, caseNumber, HouseholdRules.Reverse(relation), user.UserId, now)]),
        ], GateAccess.CaseWorker, cancellationToken);
        return outcome.Succeeded ? Outcome<CaseChanged>.Success(outcome.Value![0]) : outcome.As<CaseChanged>();
    }
}

/// <summary>Removes a household link on both sides.</summary>
public sealed record UnlinkHouseholdMember(Guid CaseId, long ExpectedVersion, Guid MemberCaseId) : ICommand<Outcome<CaseChanged>>;

public sealed class UnlinkHouseholdMemberHandler(IDocumentSession session, CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<UnlinkHouseholdMember, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(UnlinkHouseholdMember command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var member = await session.LoadAsync<CaseSummary>(command.MemberCaseId, cancellationToken);
        var now = clock.GetCurrentInstant();
        var caseNumber = "";
        var outcome = await gate.ChangeAll(
        [
            new CaseStep(command.CaseId, command.ExpectedVersion, CaseChangeKind.Household, state =>
            {
                caseNumber = state.CaseNumber;
                return !state.HouseholdMembers.Contains(command.MemberCaseId) || member is null
                    ? throw CaseRuleException.Transition("Dieser Fall gehört nicht (mehr) zum Haushalt.")
                    : [new HouseholdMemberUnlinked(state.Id, member.Id, member.CaseNumber, user.UserId, now)];
            }),
            new CaseStep(command.MemberCaseId, null, CaseChangeKind.Household, other =>
                [new HouseholdMemberUnlinked(other.Id, command.CaseId, caseNumber, user.UserId, now)]),
        ], GateAccess.CaseWorker, cancellationToken);
        return outcome.Succeeded ? Outcome<CaseChanged>.Success(outcome.Value![0]) : outcome.As<CaseChanged>();
    }
}
