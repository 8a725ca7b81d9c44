using System.Diagnostics;
using CaseManagement.DataProtection;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace CaseManagement.Cases;

/// <summary>Who may make a change through the gate.</summary>
public enum GateAccess
{
    /// <summary>The case's manager, the manager's deputy on the days of the Vertretung, or the lead of the manager's team.</summary>
    CaseWorker,

    /// <summary>The lead of the team a pending transfer of the case goes to.</summary>
    ReceivingTeamLead,

    /// <summary>The organisation's data-protection officer (any case of the organisation).</summary>
    DataProtectionOfficer,

    /// <summary>A background job of the organisation (e.g. the retention run); no user.</summary>
    System,

    /// <summary>
    /// The user running an import (its background job acts as that user): an administrator for any case of the
    /// organisation, a team lead as <see cref="CaseWorker"/> (the cases of the own team's managers).
    /// </summary>
    Importer,
}

/// <summary>
/// One stream's part of a change: the case, the version the user saw (null: the version read now — a fact
/// added on top of whatever the case holds, retried on a clash), the kind of change for the processing rules,
/// and the pure decision.
/// </summary>
public sealed record CaseStep(Guid CaseId, long? ExpectedVersion, CaseChangeKind Kind, Func<ClientCase, object[]> Decide)
{
    /// <summary>Only check (a confirmation page before the change): access, rules, version and decision run, nothing is appended.</summary>
    public bool CheckOnly { get; init; }
}

/// <summary>
/// The one gate every change of a case stream passes (docs/architecture.md): it checks access, loads the write
/// model at the version the user saw, applies the processing rules (<see cref="ProcessingRules"/>), runs the pure
/// decision, appends at the expected version and commits — several streams (household links, bulk reassignment,
/// transfers) in one transaction. The answer is a typed <see cref="Outcome{T}"/>: accepted with the new version,
/// invalid (field errors), stale (the current version and what changed), refused (a code and its German text); a
/// case the user may not see is "not found" (<see cref="NotFoundException"/>). Callers never touch the event store.
/// </summary>
public sealed class CaseGate(IDocumentSession session, AppDbContext? db, ICurrentUser? user, CaseWriteCache? cache = null)
{
    private const int AttemptsWithoutVersion = 5;

    /// <summary>
    /// The gate's phases as activities (<c>load</c>, <c>decide</c>, <c>commit</c>): durations only, never a case's
    /// content; the web's Server-Timing header adds them up per request (docs/performance.md, "Write cost").
    /// </summary>
    public static readonly ActivitySource Phases = new(PhasesName);

    /// <summary>The name of <see cref="Phases"/> (a listener must match by name: the source may not exist yet when it subscribes).</summary>
    public const string PhasesName = "CaseManagement.Gate";

    /// <summary>The gate of a background job's session (no user; <see cref="GateAccess.System"/> only).</summary>
    public static CaseGate ForJob(IDocumentSession session, CaseWriteCache? cache = null) => new(session, null, null, cache);

    /// <summary>One case at the version the user saw.</summary>
    public async Task<Outcome<CaseChanged>> Change(
        Guid caseId, long? expectedVersion, CaseChangeKind kind, Func<ClientCase, object[]> decide, CancellationToken ct, GateAccess access = GateAccess.CaseWorker)
    {
        var outcome = await ChangeAll([new CaseStep(caseId, expectedVersion, kind, decide)], access, ct);
        return outcome.Succeeded ? Outcome<CaseChanged>.Success(outcome.Value![0]) : outcome.As<CaseChanged>();
    }

    /// <summary>
    /// Everything <see cref="Change"/> checks — access, processing rules, version, the decision — without appending: the
    /// answer a confirmation page needs before the user confirms. Accepted carries the version the change would start from.
    /// </summary>
    public async Task<Outcome<CaseChanged>> Check(
        Guid caseId, long? expectedVersion, CaseChangeKind kind, Func<ClientCase, object[]> decide, CancellationToken ct, GateAccess access = GateAccess.CaseWorker)
    {
        var outcome = await ChangeAll([new CaseStep(caseId, expectedVersion, kind, decide) { CheckOnly = true }], access, ct);
        return outcome.Succeeded ? Outcome<CaseChanged>.Success(outcome.Value![0]) : outcome.As<CaseChanged>();
    }

    /// <summary>As <see cref="Change"/>, unless the input checks already failed (then nothing is read or written).</summary>
    public async Task<Outcome<CaseChanged>> Change(
        IReadOnlyList<InputError> inputErrors, Guid caseId, long? expectedVersion, CaseChangeKind kind, Func<ClientCase, object[]> decide, CancellationToken ct,
        GateAccess access = GateAccess.CaseWorker)
    {
        ArgumentNullException.ThrowIfNull(inputErrors);
        return inputErrors.Count > 0 ? Outcome<CaseChanged>.Failure(inputErrors) : await Change(caseId, expectedVersion, kind, decide, ct, access);
    }

    /// <summary>Several streams in one transaction, each at its own expected version: all are accepted, or none.</summary>
    public async Task<Outcome<IReadOnlyList<CaseChanged>>> ChangeAll(IReadOnlyList<CaseStep> steps, GateAccess access, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (var step in steps.Where(_ => access != GateAccess.CaseWorker))
        {
            await RequireAccess(step.CaseId, access, ct);
        }

        var attempts = steps.All(s => s.ExpectedVersion is null) ? AttemptsWithoutVersion : 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var changed = new List<CaseChanged>();
                var appended = 0;
                ForgetLoaded();
                foreach (var step in steps)
                {
                    // Read at the current version (Marten still checks at the commit that nobody appended since), so
                    // that "not found" and the processing rules come before "stale": a stale version tells nothing
                    // to someone who may not see the case, and an erased case says so whatever version was sent.
                    Loaded loaded;
                    using (Phases.StartActivity("load"))
                    {
                        loaded = await Load(step, ct);
                    }

                    var state = loaded.State ?? throw new NotFoundException("Case");
                    if (access == GateAccess.CaseWorker || access == GateAccess.Importer && !Require(user).IsInRole(Roles.Administrator))
                    {
                        await RequireCaseWorker(state, ct);
                    }

                    if (ProcessingRules.Refusal(state, step.Kind) is { } refusal)
                    {
                        Discard();
                        return Outcome<IReadOnlyList<CaseChanged>>.Refused(refusal.Code, refusal.Message);
                    }

                    if (step.ExpectedVersion is { } expected && loaded.Version != expected)
                    {
                        Discard();
                        return await Stale(steps, ct);
                    }

                    object[] events;
                    try
                    {
                        using var decide = Phases.StartActivity("decide");
                        events = step.Decide(state);
                    }
                    catch (CaseRuleException rule)
                    {
                        Discard();
                        return rule.Code is { } code
                            ? Outcome<IReadOnlyList<CaseChanged>>.Refused(code, rule.Message)
                            : Outcome<IReadOnlyList<CaseChanged>>.Fail("", rule.Message);
                    }

                    if (step.CheckOnly)
                    {
                        Discard();
                        if (loaded.Cached is { } unchanged)
                        {
                            cache!.Put(session.TenantId, step.CaseId, unchanged.Version, unchanged.Case, unchanged.Summary);
                        }

                        changed.Add(new CaseChanged(step.CaseId, loaded.Version));
                        continue;
                    }

                    if (events.Any(e => e is CaseErased))
                    {
                        await MaskInPlace(step.CaseId, ct);
                    }

                    loaded.Append(events);
                    appended += events.Length;
                    changed.Add(new CaseChanged(step.CaseId, loaded.Version + events.Length));
                }

                if (appended > 0)
                {
                    using var commit = Phases.StartActivity("commit");
                    await session.SaveChangesAsync(ct);
                    Remember(changed);
                }

                return Outcome<IReadOnlyList<CaseChanged>>.Success(changed);
            }
            catch (ConcurrencyException) when (attempt < attempts)
            {
                // Nothing the user saw is at stake: decide again on the new state.
                Discard();
            }
            catch (ConcurrencyException)
            {
                Discard();
                return await Stale(steps, ct);
            }
        }
    }

    /// <summary>Intake: the case's first events, in one transaction with whatever the caller queued on the session.</summary>
    public async Task<Outcome<CaseChanged>> Start(Guid caseId, object[] events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        var started = await StartAll([(caseId, events)], ct, "Diesen Fall gibt es schon.");
        return started.Succeeded ? Outcome<CaseChanged>.Success(started.Value![0]) : started.As<CaseChanged>();
    }

    /// <summary>
    /// Intake of several cases (an import's batch): every case's first events in one transaction with whatever the
    /// caller queued on the session — all cases, or none. A failed commit (a stream that exists: refused; a constraint of
    /// the queued rows: the exception) leaves nothing pending on the session.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<CaseChanged>>> StartAll(
        IReadOnlyList<(Guid CaseId, object[] Events)> cases, CancellationToken ct, string exists = "Mindestens einen dieser Fälle gibt es schon; es wurde keiner angelegt.")
    {
        ArgumentNullException.ThrowIfNull(cases);
        foreach (var (caseId, events) in cases)
        {
            session.Events.StartStream<ClientCase>(caseId, events);
        }

        // One case opened by hand is usually changed right after (a goal, a consultation): keep what the projections build
        // (an import's batch would only push the cases of the users at work out of the cache).
        var remember = cases.Count == 1 && cache is { Enabled: true } && IdentityMapForAggregates;
        if (remember)
        {
            session.UseIdentityMapFor<ClientCase>();
            session.UseIdentityMapFor<CaseSummary>();
        }

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            Discard();
            return Outcome<IReadOnlyList<CaseChanged>>.Refused(RefusalCode.InvalidTransition, exists);
        }
        catch
        {
            Discard();
            throw;
        }

        var started = cases.Select(c => new CaseChanged(c.CaseId, c.Events.Length)).ToList();
        if (remember)
        {
            Remember(started);
        }

        return Outcome<IReadOnlyList<CaseChanged>>.Success(started);
    }

    /// <summary><c>Database:IdentityMapForAggregates</c>: the inline projections take the loaded documents from the session's item map.</summary>
    private bool IdentityMapForAggregates => session.DocumentStore.Options is StoreOptions { Events.UseIdentityMapForAggregates: true };

    /// <summary>The session's item map (Marten's identity map per document type: <c>Dictionary&lt;Guid, T&gt;</c>).</summary>
    private Dictionary<Type, object> ItemMap => ((Marten.Internal.IMartenSession)session).ItemMap;

    /// <summary>The write model a step decides on, the version it was read at, and how its events are appended.</summary>
    private sealed record Loaded(ClientCase? State, long Version, Action<object[]> Append, CaseWriteCache.Entry? Cached = null);

    /// <summary>
    /// The write model at the current version and, in the same round trip, the case summary: the inline summary
    /// projection takes it from the session's identity map at the commit instead of reading it once more
    /// (<c>Database:IdentityMapForAggregates</c>, on by default; without it Marten reads both again). When this node
    /// committed the case's last change and the user saw that version, both come from <see cref="CaseWriteCache"/>
    /// instead, without a database call: the append then carries the expected version, and Marten's commit checks it
    /// against the stream (a change elsewhere in between ends as stale).
    /// </summary>
    private async Task<Loaded> Load(CaseStep step, CancellationToken ct)
    {
        var caseId = step.CaseId;
        if (!IdentityMapForAggregates)
        {
            // The projections would read the summary again anyway (the benchmark's "before" setting).
            var plain = await session.Events.FetchForWriting<ClientCase>(caseId, ct);
            return new Loaded(plain.Aggregate, plain.CurrentVersion ?? 0, plain.AppendMany);
        }

        session.UseIdentityMapFor<CaseSummary>();
        if (cache is not null && step.ExpectedVersion is { } expected && cache.TryTake(session.TenantId, caseId, expected) is { } hit)
        {
            session.UseIdentityMapFor<ClientCase>();
            Preload(caseId, hit.Case);
            Preload(caseId, hit.Summary);
            return new Loaded(hit.Case, hit.Version, events =>
            {
                if (events.Length > 0)
                {
                    session.Events.Append(caseId, hit.Version + events.Length, events);
                }
            }, hit);
        }

        var batch = session.CreateBatchQuery();
        var fetched = batch.Events.FetchForWriting<ClientCase>(caseId);
        var summary = batch.Load<CaseSummary>(caseId);
        await batch.Execute(ct);
        await summary;
        var stream = await fetched;
        return new Loaded(stream.Aggregate, stream.CurrentVersion ?? 0, stream.AppendMany);
    }

    /// <summary>A document put into the session's identity map, where the inline projections look first at the commit.</summary>
    private void Preload<T>(Guid id, T document) where T : notnull
    {
        if (!ItemMap.TryGetValue(typeof(T), out var map))
        {
            ItemMap[typeof(T)] = map = new Dictionary<Guid, T>();
        }

        ((Dictionary<Guid, T>)map)[id] = document;
    }

    /// <summary>A document of the session's item map, if it holds one for the id.</summary>
    private bool TryFromItemMap<T>(Guid id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? document) where T : class
    {
        document = ItemMap.TryGetValue(typeof(T), out var map) && map is Dictionary<Guid, T> typed && typed.TryGetValue(id, out var found) ? found : null;
        return document is not null;
    }

    /// <summary>
    /// After the commit: the write model and summary the inline projections left in the identity map, at the version
    /// just committed, for the user's next change of the same case. An erased case is dropped instead.
    /// </summary>
    private void Remember(IReadOnlyList<CaseChanged> changed)
    {
        if (cache is not { Enabled: true })
        {
            return;
        }

        // The change is committed: nothing here may turn it into an error answer (a failure is logged, the entry missed).
        Storage.DatabaseFaults.AfterCommit(cache.Logger, "Fall für die nächste Änderung behalten", () =>
        {
            foreach (var change in changed)
            {
                if (TryFromItemMap<ClientCase>(change.CaseId, out var state) && !state.Erased && TryFromItemMap<CaseSummary>(change.CaseId, out var summary))
                {
                    cache.Put(session.TenantId, change.CaseId, change.Version, state, summary);
                }
                else
                {
                    cache.Forget(session.TenantId, change.CaseId);
                }
            }
        });
    }

    /// <summary>Nothing of a refused, stale or failed attempt stays on the session: neither queued changes nor what it loaded or projected.</summary>
    private void Discard()
    {
        session.EjectAllPendingChanges();
        ForgetLoaded();
    }

    /// <summary>
    /// Documents an earlier attempt (or an earlier use of the session) left in the identity map would be taken instead
    /// of the rows read now: a retry after a clash must decide on the new state.
    /// </summary>
    private void ForgetLoaded()
    {
        session.EjectAllOfType(typeof(ClientCase));
        session.EjectAllOfType(typeof(CaseSummary));
        // A lightweight session's EjectAllOfType leaves its item map alone, yet FetchForWriting keeps the write model
        // there (UseIdentityMapForAggregates) and the inline projection puts the projected — and, after a clash, rolled
        // back — aggregate back into it: the retry would decide on a state that was never committed (an erasure that
        // found its own failed attempt "already erased"; ErasureTests).
        ItemMap.Remove(typeof(ClientCase));
        ItemMap.Remove(typeof(CaseSummary));
    }

    private async Task RequireAccess(Guid caseId, GateAccess access, CancellationToken ct)
    {
        switch (access)
        {
            case GateAccess.System:
                return;
            case GateAccess.Importer:
                var importer = Require(user);
                if (!importer.IsAuthenticated || !(importer.IsInRole(Roles.Administrator) || importer.IsInRole(Roles.TeamLead)))
                {
                    throw new UnauthorizedAccessException(Messages.Accounts.ImporterRequired);
                }

                return;
            case GateAccess.DataProtectionOfficer:
                Require(user).RequireDataProtectionOfficer();
                return;
            case GateAccess.ReceivingTeamLead:
            {
                var current = Require(user);
                var transfers = await session.Query<CaseSummary>().Where(c => c.Id == caseId && c.PendingTransfer != null)
                    .Select(c => c.PendingTransfer!.ToTeamId).ToListAsync(ct);
                if (!current.IsAuthenticated || !current.IsInRole(Roles.TeamLead) || transfers.Count != 1 || transfers[0] != current.TeamId)
                {
                    throw new NotFoundException("Case");
                }

                return;
            }

            default:
                throw new InvalidOperationException("The case worker's access is checked on the loaded write model.");
        }
    }

    /// <summary>
    /// The case's manager, the manager's deputy or the lead of the manager's team — read from the write model just
    /// loaded (an erased case keeps its manager, so it answers "erased", not "not found"); anyone else: not found.
    /// </summary>
    private async Task RequireCaseWorker(ClientCase state, CancellationToken ct)
    {
        var current = Require(user);
        CaseAccess.RequireCaseWorker(current);
        var database = db ?? throw new InvalidOperationException("The case-worker gate needs the user's database.");
        if (state.ManagerId == Guid.Empty)
        {
            // A snapshot written before the write model knew its manager (until rebuild-projections ran).
            await CaseAccess.Require(session, database, current, state.Id, ct);
        }
        else if (!await CaseAccess.MayWorkOn(state.ManagerId, current, database, ct))
        {
            throw new NotFoundException("Case");
        }
    }

    private static ICurrentUser Require(ICurrentUser? user) => user ?? throw new InvalidOperationException("A job's gate has no user.");

    /// <summary>Erasure: every event of the stream is masked in place in the same transaction (<see cref="PersonalDataMask"/>).</summary>
    private async Task MaskInPlace(Guid caseId, CancellationToken ct)
    {
        foreach (var e in await session.Events.FetchStreamAsync(caseId, token: ct))
        {
            if (PersonalDataMask.MaskInPlace(e))
            {
                session.Events.OverwriteEvent(e);
            }
        }
    }

    /// <summary>What changed since the version the user saw, in German (one case), or that one of several cases changed.</summary>
    private async Task<Outcome<IReadOnlyList<CaseChanged>>> Stale(IReadOnlyList<CaseStep> steps, CancellationToken ct)
    {
        if (steps.Count != 1 || steps[0].ExpectedVersion is not { } expected)
        {
            return Outcome<IReadOnlyList<CaseChanged>>.Stale(0,
                "Mindestens ein betroffener Fall wurde inzwischen geändert; es wurde nichts übernommen. Bitte die Liste neu laden und erneut versuchen.");
        }

        await using var reader = session.DocumentStore.QuerySession(session.TenantId);
        var newer = await reader.Events.FetchStreamAsync(steps[0].CaseId, fromVersion: expected + 1, token: ct);
        var changes = newer.Where(e => e.Data is not EligibilityEvaluated).Select(e => CaseHistory.Describe(e.Data)).Distinct().ToList();
        var current = newer.Count == 0 ? expected : newer[^1].Version;
        return Outcome<IReadOnlyList<CaseChanged>>.Stale(current,
            $"Jemand anderes hat den Fall inzwischen geändert (jetzt Version {current}, Ihr Stand: {expected})"
            + (changes.Count > 0 ? ": " + string.Join("; ", changes) : "")
            + ". Es wurde nichts gespeichert; Ihre Eingaben sind erhalten – bitte prüfen und erneut speichern.");
    }
}
