using System.Diagnostics;
using Npgsql;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// Someone else's event at a stream's next version (a copy of the stream's last one), inserted and held uncommitted:
/// a writer of the same stream has to wait for it and then clashes once it is committed. Raw SQL, so no read model
/// follows it.
/// </summary>
public sealed class HeldAppend : IAsyncDisposable
{
    private readonly string connectionString;
    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;

    private HeldAppend(string connectionString, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.connectionString = connectionString;
        this.connection = connection;
        this.transaction = transaction;
    }

    public static async Task<HeldAppend> StartAsync(string connectionString, Guid streamId)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var next = new NpgsqlCommand(
            """
            with last as (select * from marten.mt_events where stream_id = $1 order by version desc limit 1),
                 added as (insert into marten.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
                           select nextval('marten.mt_events_sequence'), gen_random_uuid(), stream_id, version + 1, data, type, now(), tenant_id, mt_dotnet_type, false from last)
            update marten.mt_streams set version = version + 1 where id = $1
            """, connection, transaction);
        next.Parameters.Add(new() { Value = streamId });
        Assert.Equal(1, await next.ExecuteNonQueryAsync());
        return new HeldAppend(connectionString, connection, transaction);
    }

    /// <summary>Returns once a session waits for exactly this transaction; fails if <paramref name="writer"/> finishes first or never waits.</summary>
    public async Task WaitUntilBlockingAsync(Task writer, string what)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await using var watcher = new NpgsqlConnection(connectionString);
        await watcher.OpenAsync();
        await using var blocked = new NpgsqlCommand($"select count(*) from pg_stat_activity where {connection.ProcessID} = any(pg_blocking_pids(pid))", watcher);
        var waiting = Stopwatch.StartNew();
        while ((long)(await blocked.ExecuteScalarAsync())! == 0)
        {
            Assert.False(writer.IsCompleted, $"{what} finished without waiting for the held stream row.");
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(20), $"{what} never waited for the held stream row.");
            await Task.Delay(20);
        }
    }

    public Task CommitAsync() => transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
