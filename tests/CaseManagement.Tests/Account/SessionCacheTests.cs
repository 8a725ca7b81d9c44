using CaseManagement.SignIn;
using CaseManagement.Storage;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CaseManagement.Tests.Account;

/// <summary>
/// The session check's per-node memory (SignIn/SessionCache.cs) against a real listener on the test database: it keeps
/// nothing it read before its LISTEN stood, and a notification — of one account, or '*' — makes it forget.
/// </summary>
public sealed class SessionCacheTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Nothing_read_before_the_listener_listens_is_kept_and_a_notification_forgets_at_once()
    {
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var listener = new SharedCacheListener(app.Factory.ConnectionString, memory, NullLogger<SharedCacheListener>.Instance);
        var cache = new SessionCache(memory, new SessionSettings { CacheSeconds = 30 }, NodaTime.SystemClock.Instance, listener);
        var (session, user, stamp) = (Guid.NewGuid(), Guid.NewGuid(), "stamp");

        var readBeforeListening = cache.Version;
        cache.Remember(session, user, stamp, readBeforeListening);
        Assert.False(cache.IsKnownCurrent(session, user, stamp)); // not listening: nothing is kept

        await listener.StartAsync(CancellationToken.None);
        try
        {
            await listener.Listening.WaitAsync(TimeSpan.FromSeconds(10));
            cache.Remember(session, user, stamp, readBeforeListening);
            Assert.False(cache.IsKnownCurrent(session, user, stamp)); // read before the LISTEN stood: a revocation may have gone unheard

            cache.Remember(session, user, stamp, cache.Version);
            Assert.True(cache.IsKnownCurrent(session, user, stamp));
            Assert.False(cache.IsKnownCurrent(session, user, "another stamp"));

            await Notify($"user:{user}");
            Assert.True(await ForgottenWithinTwoSeconds(cache, session, user, stamp), "A notification for the account did not forget its session.");

            cache.Remember(session, user, stamp, cache.Version);
            Assert.True(cache.IsKnownCurrent(session, user, stamp));
            await Notify(SharedCache.Everything);
            Assert.True(await ForgottenWithinTwoSeconds(cache, session, user, stamp), "The notification '*' did not empty the cache.");
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();
        }
    }

    private async Task Notify(string payload)
    {
        await using var connection = new NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var notify = new NpgsqlCommand("select pg_notify($1, $2)", connection);
        notify.Parameters.Add(new() { Value = SharedCache.Channel });
        notify.Parameters.Add(new() { Value = payload });
        await notify.ExecuteNonQueryAsync();
    }

    private static async Task<bool> ForgottenWithinTwoSeconds(SessionCache cache, Guid session, Guid user, string stamp) =>
        !await Poll.Eventually(() => Task.FromResult(cache.IsKnownCurrent(session, user, stamp)), known => !known, seconds: 2);
}
