using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseManagement.Storage;

/// <summary>
/// Tells a database that is gone for the moment (restarted, unreachable, refusing connections) from every other
/// failure: such a request may be tried once more on a fresh connection, and otherwise answers 503 with
/// <c>Retry-After</c> instead of 500 (docs/operations.md, "Faults").
/// </summary>
public static partial class DatabaseFaults
{
    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps: Marten, EF Core, Hangfire) says the database cannot be
    /// reached or dropped the connection: a socket or stream failure, a timeout, or a PostgreSQL error of class 08
    /// (connection), 57P01–57P03 (shut down, crashed, starting up) or 53300 (too many connections).
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                           || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    return aggregate.InnerExceptions.All(IsUnavailable);
                case SocketException or EndOfStreamException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>The SQLSTATE of a PostgreSQL error in the chain (no message: messages may quote values), else the type name.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return $"{postgres.GetType().Name} {postgres.SqlState}";
            }
        }

        return exception.InnerException is null ? exception.GetType().Name : $"{exception.GetType().Name} ← {exception.GetBaseException().GetType().Name}";
    }

    /// <summary>
    /// Closes every idle pooled connection (after a PostgreSQL restart they are all dead): the next command opens a new one.
    /// </summary>
    public static void ClearPools(NpgsqlDataSource? dataSource)
    {
        NpgsqlConnection.ClearAllPools();
        dataSource?.Clear();
    }

    /// <summary>
    /// Work after a commit (enqueueing a job, forgetting a cache entry, reading the result back): the change is stored,
    /// so no failure here may turn it into an error answer. A failure is logged at Warning with its type only (no
    /// case content); whatever the work was for is caught up elsewhere (the outbox <c>cases.case_changes</c>, the
    /// schedule at start-up, the cache's own expiry).
    /// </summary>
    public static async Task AfterCommitAsync(ILogger logger, string what, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await work();
        }
#pragma warning disable CA1031 // the commit happened: nothing after it may fail the request
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogAfterCommitFailed(logger, what, Describe(e));
        }
    }

    /// <summary>As <see cref="AfterCommitAsync"/> for synchronous work.</summary>
    public static void AfterCommit(ILogger logger, string what, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            work();
        }
#pragma warning disable CA1031 // the commit happened: nothing after it may fail the request
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAfterCommitFailed(logger, what, Describe(e));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nach dem Speichern fehlgeschlagen: {Work} ({Error}); die Änderung ist gespeichert und wird nachgeholt.")]
    private static partial void LogAfterCommitFailed(ILogger logger, string work, string error);
}
