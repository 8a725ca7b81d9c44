using CaseManagement.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace CaseManagement.SignIn;

/// <summary>
/// The session check of every request answered from this node's memory for a few seconds
/// (<see cref="SessionSettings.CacheSeconds"/>), never longer than a revocation takes to arrive:
/// <list type="bullet">
/// <item>ending a session, deactivating or deleting an account, or a new security stamp notifies every node at the
/// commit (triggers of migration 0034, whoever made the change), and <see cref="SharedCacheListener"/> forgets the entry
/// (<c>session:&lt;id&gt;</c>, or <c>user:&lt;id&gt;</c> for all sessions of an account);</item>
/// <item>the node that makes the change also forgets right after its statement (<see cref="ForgetSession"/>,
/// <see cref="ForgetAccount"/>; inside a longer transaction the notification at its commit is what counts);</item>
/// <item>an entry is kept and used only while the listener is connected, and kept only if no change was announced and
/// the listener did not (re)connect between the database read and the entry (<see cref="Version"/>); a lost listener
/// connection empties the cache.</item>
/// </list>
/// The cache holds ids and the security stamp only, no personal data.
/// </summary>
public sealed class SessionCache(IMemoryCache cache, SessionSettings settings, NodaTime.IClock clock, SharedCacheListener listener)
{
    private long localChanges;

    /// <summary>Taken before the database read and handed to <see cref="Remember"/>: any change announced in between keeps the result out.</summary>
    public long Version => listener.Changes + Interlocked.Read(ref localChanges);

    /// <summary>Whether this node checked the session within the last seconds and nothing announced a change since.</summary>
    public bool IsKnownCurrent(Guid sessionId, Guid userId, string securityStamp) =>
        settings.CacheSeconds > 0 && listener.Connected
        && cache.TryGetValue(SessionKey(sessionId), out Entry? entry) && entry is not null
        && entry.UserId == userId && string.Equals(entry.SecurityStamp, securityStamp, StringComparison.Ordinal)
        && clock.GetCurrentInstant() < entry.Until
        && cache.TryGetValue(AccountKey(userId), out object? account) && ReferenceEquals(account, entry.Account);

    /// <summary>Keeps a session the database just found current, unless a change was announced since <paramref name="versionBefore"/>.</summary>
    public void Remember(Guid sessionId, Guid userId, string securityStamp, long versionBefore)
    {
        if (settings.CacheSeconds <= 0 || !listener.Connected || Version != versionBefore)
        {
            return;
        }

        var lifetime = TimeSpan.FromSeconds(settings.CacheSeconds);
        var account = cache.GetOrCreate(AccountKey(userId), e =>
        {
            e.SlidingExpiration = lifetime * 4;
            return new object();
        })!;
        // The application's clock decides how long the entry counts (the touch of UserSessions.TouchInterval follows it);
        // the memory cache's own expiry only frees the memory.
        cache.Set(SessionKey(sessionId), new Entry(userId, securityStamp, account, clock.GetCurrentInstant() + NodaTime.Duration.FromTimeSpan(lifetime)), lifetime);
        if (Version != versionBefore)
        {
            // A change arrived while the entry was being written (its notification may have found nothing to forget yet).
            cache.Remove(SessionKey(sessionId));
        }
    }

    /// <summary>Forgets one session on this node (the others hear it from the database).</summary>
    public void ForgetSession(Guid sessionId)
    {
        Interlocked.Increment(ref localChanges);
        cache.Remove(SessionKey(sessionId));
    }

    /// <summary>Forgets every session of an account on this node (the others hear it from the database).</summary>
    public void ForgetAccount(Guid userId)
    {
        Interlocked.Increment(ref localChanges);
        cache.Remove(AccountKey(userId));
    }

    private static string SessionKey(Guid sessionId) => $"session:{sessionId}";

    private static string AccountKey(Guid userId) => $"user:{userId}";

    private sealed record Entry(Guid UserId, string SecurityStamp, object Account, NodaTime.Instant Until);
}
