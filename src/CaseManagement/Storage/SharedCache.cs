using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseManagement.Storage;

/// <summary>
/// The per-node memory cache (deputies, reminder settings), kept the same on every node: a change forgets its entry
/// here and tells the other nodes through PostgreSQL <c>NOTIFY</c> on <see cref="Channel"/>, right after its commit;
/// <see cref="SharedCacheListener"/> on every node forgets it there. The payload is the cache key — ids only, never
/// case content.
/// </summary>
public sealed class SharedCache(IMemoryCache cache, NpgsqlDataSource dataSource, ILogger<SharedCache> logger)
{
    public const string Channel = "cm_cache_invalidation";

    /// <summary>The payload that empties the whole cache (sent by the <c>TRUNCATE</c> triggers of migration 0034).</summary>
    public const string Everything = "*";

    /// <summary>Forgets <paramref name="key"/> on this node at once and on every other node as soon as the notification arrives.</summary>
    public async Task ForgetEverywhereAsync(string key, CancellationToken ct = default)
    {
        cache.Remove(key);
        await DatabaseFaults.AfterCommitAsync(logger, "Cache-Abgleich mit den anderen Knoten", async () =>
        {
            await using var notify = dataSource.CreateCommand("select pg_notify($1, $2)");
            notify.Parameters.Add(new() { Value = Channel });
            notify.Parameters.Add(new() { Value = key });
            await notify.ExecuteNonQueryAsync(ct);
        });
    }
}

/// <summary>
/// Listens on <see cref="SharedCache.Channel"/> on a connection of its own and forgets each named entry. When the
/// connection breaks (database restart) it forgets everything — notifications of the gap are lost — and listens again.
/// </summary>
public sealed partial class SharedCacheListener(string connectionString, IMemoryCache cache, ILogger<SharedCacheListener> logger) : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    /// <summary>Set once the first LISTEN is in place (tests wait for it).</summary>
    public Task Listening => listening.Task;

    /// <summary>
    /// Whether notifications can arrive now: the LISTEN is in place and its connection has not been found broken. An
    /// entry that must never outlive a change elsewhere (the session check) is kept only while this holds.
    /// </summary>
    public bool Connected => Volatile.Read(ref connected);

    /// <summary>
    /// Grows with every notification received and every lost connection, before the entry is forgotten: a reader that
    /// took it before reading the database and finds it changed afterwards must not keep what it read (it may predate
    /// the change that was just announced).
    /// </summary>
    public long Changes => Interlocked.Read(ref changes);

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool connected;
    private long changes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listenerConnection = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A connection of its own for as long as the node runs; keepalive notices a silently dropped one.
            Pooling = false,
            KeepAlive = 15,
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(listenerConnection);

                connection.Notification += (_, e) =>
                {
                    if (e.Payload == SharedCache.Everything)
                    {
                        ForgetAll();
                    }
                    else
                    {
                        Interlocked.Increment(ref changes);
                        cache.Remove(e.Payload);
                    }
                };
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {SharedCache.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever was read before the LISTEN stood may predate a change whose notification nobody heard.
                Interlocked.Increment(ref changes);
                Volatile.Write(ref connected, true);
                listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the listener must outlive a database restart
            catch (Exception e)
#pragma warning restore CA1031
            {
                Volatile.Write(ref connected, false);
                LogLost(logger, DatabaseFaults.Describe(e));
                ForgetAll();
                await Task.Delay(Reconnect, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Everything this node keeps is forgotten; the change counter moves first (see <see cref="Changes"/>).</summary>
    private void ForgetAll()
    {
        Interlocked.Increment(ref changes);
        (cache as MemoryCache)?.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache-Abgleich unterbrochen ({Error}); alle zwischengespeicherten Einträge verworfen, neue Verbindung folgt.")]
    private static partial void LogLost(ILogger logger, string error);
}
