using CaseManagement.Common;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using JasperFx;
using Marten;

namespace CaseManagement.Clients;

/// <summary>A change of a case was accepted: the case's new version.</summary>
public sealed record CaseChanged(Guid CaseId, long Version);

/// <summary>
/// The command-handler workflow for every change of an existing case: check access, fetch the stream at
/// the version the user saw, decide, append, save. A stale version changes nothing and says what changed.
/// </summary>
public static class CaseWriter
{
    /// <summary>Field name of the "someone else changed this case" error (API: 412).</summary>
    public const string StaleField = "Version";

    public static Task<Outcome<CaseChanged>> Execute(
        IDocumentSession session, AppDbContext db, ICurrentUser user, Guid caseId, long expectedVersion,
        Func<ClientCase, object[]> decide, CancellationToken ct) =>
        Execute(session, db, user, caseId, expectedVersion, decide, allowedWithoutConsent: false, ct);

    /// <summary>
    /// As above; a case whose processing is restricted, or whose client withdrew consent, takes no change —
    /// except new consent when <paramref name="allowedWithoutConsent"/> (DSGVO Art. 7, 18). An erased case takes none.
    /// </summary>
    public static async Task<Outcome<CaseChanged>> Execute(
        IDocumentSession session, AppDbContext db, ICurrentUser user, Guid caseId, long expectedVersion,
        Func<ClientCase, object[]> decide, bool allowedWithoutConsent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(decide);
        await CaseAccess.Require(session, db, user, caseId, ct);
        try
        {
            var stream = await session.Events.FetchForWriting<ClientCase>(caseId, expectedVersion, ct);
            if (DataProtection.ProcessingRules.Refusal(stream.Aggregate!, allowedWithoutConsent) is { } refusal)
            {
                return Outcome<CaseChanged>.Fail("", refusal);
            }

            object[] events;
            try
            {
                events = decide(stream.Aggregate!);
            }
            catch (CaseRuleException rule)
            {
                return Outcome<CaseChanged>.Fail("", rule.Message);
            }

            if (events.Length == 0)
            {
                return Outcome<CaseChanged>.Success(new CaseChanged(caseId, expectedVersion));
            }

            stream.AppendMany(events);
            await session.SaveChangesAsync(ct);
            return Outcome<CaseChanged>.Success(new CaseChanged(caseId, expectedVersion + events.Length));
        }
        catch (ConcurrencyException)
        {
            return await Stale(session.DocumentStore, user, caseId, expectedVersion, ct);
        }
    }

    /// <summary>
    /// The usual change of an open case: nothing happens when the input checks failed; a closed case is
    /// refused; otherwise as <see cref="Execute"/>.
    /// </summary>
    internal static Task<Outcome<CaseChanged>> ChangeOpenCase(
        Checks checks, IDocumentSession session, AppDbContext db, ICurrentUser user, Guid caseId, long expectedVersion,
        Func<ClientCase, object[]> decide, CancellationToken ct) =>
        ChangeOpenCase(checks, session, db, user, caseId, expectedVersion, decide, allowedWithoutConsent: false, ct);

    internal static async Task<Outcome<CaseChanged>> ChangeOpenCase(
        Checks checks, IDocumentSession session, AppDbContext db, ICurrentUser user, Guid caseId, long expectedVersion,
        Func<ClientCase, object[]> decide, bool allowedWithoutConsent, CancellationToken ct) =>
        checks.Failed
            ? Outcome<CaseChanged>.Failure(checks.Errors)
            : await Execute(session, db, user, caseId, expectedVersion, state =>
            {
                ClientCaseDecisions.RequireNotClosed(state);
                return decide(state);
            }, allowedWithoutConsent, ct);

    private static async Task<Outcome<CaseChanged>> Stale(IDocumentStore store, ICurrentUser user, Guid caseId, long expectedVersion, CancellationToken ct)
    {
        await using var reader = store.QuerySession(user.RequireTenantId());
        var newer = await reader.Events.FetchStreamAsync(caseId, fromVersion: expectedVersion + 1, token: ct);
        var changes = newer.Where(e => e.Data is not EligibilityEvaluated).Select(e => CaseHistory.Describe(e.Data)).Distinct().ToList();
        var current = newer.Count == 0 ? expectedVersion : newer[^1].Version;
        return Outcome<CaseChanged>.Fail(StaleField,
            $"Jemand anderes hat den Fall inzwischen geändert (jetzt Version {current}, Ihr Stand: {expectedVersion})"
            + (changes.Count > 0 ? ": " + string.Join("; ", changes) : "")
            + ". Es wurde nichts gespeichert; Ihre Eingaben sind erhalten – bitte prüfen und erneut speichern.");
    }
}
