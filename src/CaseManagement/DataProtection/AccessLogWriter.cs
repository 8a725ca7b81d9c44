using System.Threading.Channels;
using CaseManagement.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseManagement.DataProtection;

/// <summary>One row of the access log before it is written (ids, role, time, channel, what, purpose; no client data).</summary>
public sealed record AccessLogRow(Guid OrganisationId, Guid UserId, string Role, Guid CaseId, Instant At, string Channel, string What, string? Purpose);

/// <summary>
/// Writes the access log's rows in groups, the way PostgreSQL commits groups of transactions: every reader waits until
/// its rows are committed (a read is answered only once it is logged), but the reads that arrive while one INSERT is
/// under way are written together by the next one — one statement and one commit for many reads instead of one each.
/// Under load (the load scenario reads a case file in six of ten requests) this takes most of the per-statement work
/// off the database; alone, a read waits for its own INSERT as before.
/// A group that fails for another reason than an outage is written again read by read, so that one bad row fails only
/// its own read; when the database is gone every read of the group fails, as its own INSERT would have. One INSERT may
/// take at most <see cref="CommandTimeoutSeconds"/>.
/// </summary>
public sealed partial class AccessLogWriter : IAsyncDisposable
{
    /// <summary>The most reads one INSERT takes (an organisation-wide export counts as one read of many rows).</summary>
    public const int MaxReadsPerGroup = 256;

    /// <summary>How long one INSERT may take before its reads fail (as an outage: 503) — Npgsql's default is 30 s.</summary>
    public const int CommandTimeoutSeconds = 10;

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<AccessLogWriter> logger;
    private readonly Channel<Pending> pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;

    public AccessLogWriter(NpgsqlDataSource dataSource, ILogger<AccessLogWriter> logger)
    {
        this.dataSource = dataSource;
        this.logger = logger;
        // The loop outlives the request that first asked for the writer: it must not carry that request's trace
        // (Activity.Current), HTTP context or other async-local state into every later INSERT.
        using (ExecutionContext.SuppressFlow())
        {
            loop = Task.Run(WriteGroupsAsync);
        }
    }

    /// <summary>Writes the rows; completes when they are committed (or throws what the INSERT threw).</summary>
    public async Task WriteAsync(IReadOnlyList<AccessLogRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var read = new Pending(rows);
        if (!pending.Writer.TryWrite(read))
        {
            // Shutting down: this read writes its rows itself.
            await InsertAsync([read]);
            return;
        }

        await read.Written.Task.WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await loop;
    }

    private async Task WriteGroupsAsync()
    {
        try
        {
            var group = new List<Pending>();
            while (await pending.Reader.WaitToReadAsync())
            {
                group.Clear();
                while (group.Count < MaxReadsPerGroup && pending.Reader.TryRead(out var read))
                {
                    group.Add(read);
                }

                await WriteGroupAsync(group);
            }
        }
#pragma warning disable CA1031 // not expected; but no read may wait for a loop that has ended
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Later reads write their rows themselves (WriteAsync); the ones still queued fail.
            pending.Writer.TryComplete(e);
            while (pending.Reader.TryRead(out var left))
            {
                left.Written.TrySetException(e);
            }

            LogLoopEnded(logger, e.GetType().Name);
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
    {
        try
        {
            await InsertAsync(group);
            group.ForEach(r => r.Written.TrySetResult());
        }
#pragma warning disable CA1031 // every failure goes to the reads it concerns; the loop serves every later read
        catch (Exception e) when (group.Count > 1 && !DatabaseFaults.IsUnavailable(e))
        {
            // Refused, but not an outage: one row may be at fault; each read on its own.
            LogGroupFailed(logger, group.Count, e.GetType().Name, (e as PostgresException)?.SqlState ?? "");
            for (var i = 0; i < group.Count; i++)
            {
                try
                {
                    await InsertAsync([group[i]]);
                    group[i].Written.TrySetResult();
                }
                catch (Exception single)
                {
                    group[i].Written.TrySetException(single);
                    if (DatabaseFaults.IsUnavailable(single))
                    {
                        // The database went away meanwhile: the rest fail at once instead of one timeout after another.
                        group.Skip(i + 1).ToList().ForEach(r => r.Written.TrySetException(single));
                        break;
                    }
                }
            }
        }
        catch (Exception e)
        {
            group.ForEach(r => r.Written.TrySetException(e));
        }
#pragma warning restore CA1031
    }

    private async Task InsertAsync(IReadOnlyList<Pending> group)
    {
        var rows = group.SelectMany(r => r.Rows).ToList();
        await using var insert = dataSource.CreateCommand(
            """
            insert into identity.case_access_log (organisation_id, user_id, role, case_id, at, channel, what, purpose)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
            """);
        // Every read of the node waits for this one statement: a connection that hangs must not hold them for long.
        insert.CommandTimeout = CommandTimeoutSeconds;
        insert.Parameters.Add(new() { Value = rows.Select(r => r.OrganisationId).ToArray() });
        insert.Parameters.Add(new() { Value = rows.Select(r => r.UserId).ToArray() });
        insert.Parameters.Add(new() { Value = rows.Select(r => r.Role).ToArray() });
        insert.Parameters.Add(new() { Value = rows.Select(r => r.CaseId).ToArray() });
        insert.Parameters.Add(new() { Value = rows.Select(r => r.At).ToArray() });
        insert.Parameters.Add(new() { Value = rows.Select(r => r.Channel).ToArray() });
        insert.Parameters.Add(new() { Value = rows.Select(r => r.What).ToArray() });
        insert.Parameters.Add(new() { Value = rows.Select(r => r.Purpose).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        await insert.ExecuteNonQueryAsync();
    }

    private sealed record Pending(IReadOnlyList<AccessLogRow> Rows)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zugriffsprotokoll: eine Gruppe von {Reads} Lesevorgängen ließ sich nicht gemeinsam schreiben ({Error} {SqlState}); sie wird einzeln geschrieben.")]
    private static partial void LogGroupFailed(ILogger logger, int reads, string error, string sqlState);

    [LoggerMessage(Level = LogLevel.Error, Message = "Zugriffsprotokoll: die Schreibschleife endete unerwartet ({Error}); jeder Lesevorgang schreibt seinen Eintrag nun selbst.")]
    private static partial void LogLoopEnded(ILogger logger, string error);
}
