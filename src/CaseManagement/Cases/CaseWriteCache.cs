using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaseManagement.Cases;

/// <summary>
/// The write model and the summary of the cases this node changed last, each at the version its change committed
/// (docs/architecture.md, "The write cache"). The gate decides on an entry instead of reading the case when the version
/// the user saw is the entry's version; the commit still checks that nobody appended since (another node, a job), and a
/// clash is answered as stale as before. An entry is taken out while a change uses it and put back only after that
/// change committed, so a failed or concurrent change never sees what another one projected.
/// <list type="bullet">
/// <item>bounded: at most <c>Database:WriteCacheCases</c> cases (0: off), each for at most
/// <c>Database:WriteCacheSeconds</c> after its change; expired entries are dropped at the latest one lifetime later;</item>
/// <item>keyed by organisation (Marten tenant) and case, so one organisation's entry never serves another;</item>
/// <item>personal data of the case stays in this node's memory for that lifetime, as it does in any request that read
/// it; an erasure on this node drops the entry at once, and on another node it is never used again (its version is
/// older than the case's) and is dropped when it expires.</item>
/// </list>
/// </summary>
public sealed class CaseWriteCache : IDisposable
{
    private readonly ConcurrentDictionary<(string Tenant, Guid Case), Entry> entries = new();
    private readonly int capacity;
    private readonly long lifetimeMs;
    private readonly Timer sweeper;

    public CaseWriteCache(int capacity, TimeSpan lifetime, ILogger<CaseWriteCache>? logger = null)
    {
        Logger = logger ?? NullLogger<CaseWriteCache>.Instance;
        this.capacity = capacity;
        lifetimeMs = (long)lifetime.TotalMilliseconds;
        var every = lifetime > TimeSpan.Zero ? lifetime : TimeSpan.FromMinutes(1);
        sweeper = new Timer(_ => Sweep(), null, every, every);
    }

    /// <summary>Where a failure to keep a committed change is reported (it never fails the change; <c>DatabaseFaults.AfterCommit</c>).</summary>
    public ILogger Logger { get; }

    /// <summary>Whether the cache keeps anything at all.</summary>
    public bool Enabled => capacity > 0 && lifetimeMs > 0;

    /// <summary>Cases held now (tests, metrics).</summary>
    public int Count => entries.Count;

    /// <summary>The organisations and versions under which this node holds a case (tests; an expired entry counts until it is dropped).</summary>
    public IReadOnlyList<(string Tenant, long Version)> Held(Guid caseId) =>
        entries.Where(e => e.Key.Case == caseId).Select(e => (e.Key.Tenant, e.Value.Version)).ToList();

    /// <summary>A case's write model and summary at one version, and until when (<see cref="Environment.TickCount64"/>) it may be used.</summary>
    public sealed record Entry(long Version, ClientCase Case, CaseSummary Summary, long Until);

    /// <summary>
    /// Takes the entry of a case out of the cache if it is at <paramref name="version"/> and not expired; null otherwise
    /// (an entry at another version stays: it may serve a user who saw that version).
    /// </summary>
    public Entry? TryTake(string tenant, Guid caseId, long version)
    {
        var key = (tenant, caseId);
        if (!entries.TryGetValue(key, out var entry) || entry.Version != version)
        {
            return null;
        }

        if (!entries.TryRemove(new KeyValuePair<(string, Guid), Entry>(key, entry)))
        {
            return null; // another change of the same case took it first
        }

        return entry.Until >= Environment.TickCount64 ? entry : null;
    }

    /// <summary>
    /// Keeps what a change committed (a newer version replaces an older entry, never the other way round). Changes that
    /// keep cases at the same moment may each pass the bound by one until the next one makes room.
    /// </summary>
    public void Put(string tenant, Guid caseId, long version, ClientCase state, CaseSummary summary)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!Enabled)
        {
            return;
        }

        if (entries.Count >= capacity && !entries.ContainsKey((tenant, caseId)))
        {
            MakeRoom();
        }

        var entry = new Entry(version, state, summary, Environment.TickCount64 + lifetimeMs);
        entries.AddOrUpdate((tenant, caseId), entry, (_, old) => old.Version > version ? old : entry);
    }

    /// <summary>Drops a case's entry on this node (erasure, a change that failed after taking it).</summary>
    public void Forget(string tenant, Guid caseId) => entries.TryRemove((tenant, caseId), out _);

    public void Dispose() => sweeper.Dispose();

    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var (key, entry) in entries)
        {
            if (entry.Until < now)
            {
                entries.TryRemove(new KeyValuePair<(string, Guid), Entry>(key, entry));
            }
        }
    }

    /// <summary>The expired entries, and if none, the oldest tenth (the cache is full).</summary>
    private void MakeRoom()
    {
        Sweep();
        if (entries.Count < capacity)
        {
            return;
        }

        // ToArray is the dictionary's own snapshot; LINQ over the live dictionary copies it with a count taken before,
        // and an entry taken in between leaves an empty slot (CaseWriteCacheTests.Making_room_…).
        foreach (var (key, entry) in entries.ToArray().OrderBy(e => e.Value.Until).Take(Math.Max(1, capacity / 10)))
        {
            entries.TryRemove(new KeyValuePair<(string, Guid), Entry>(key, entry));
        }
    }
}
