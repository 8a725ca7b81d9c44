using CaseManagement.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// At the start of a web or worker node: the role of <c>ConnectionStrings:Postgres</c> may only read and write rows.
/// A superuser, or an owner of the database or of any schema, table or function, stops the start in Production
/// (German message) and is a warning elsewhere; so does <c>Database:AutoCreateSchema</c> in Production. When the
/// database cannot be reached at start, the check is repeated until it can (and then stops the application if it
/// fails), so that a node started before its database is not exempt. Operator verbs start no host and are not checked.
/// </summary>
public sealed partial class DatabaseRoleCheck(
    NpgsqlDataSource dataSource,
    IHostEnvironment environment,
    IOptions<DatabaseOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseRoleCheck> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource stopping = new();
    private int disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsProduction() && options.Value.AutoCreateSchema)
        {
            throw new InvalidOperationException(
                "Database__AutoCreateSchema=true ist in Production nicht erlaubt: das Schema entsteht nur aus migrations/ (Verb migrate, Eigentümerrolle).");
        }

        try
        {
            Judge(await DatabaseRoles.PowersBeyondRowsAsync(dataSource, cancellationToken));
        }
        catch (NpgsqlException)
        {
            LogNotReachable(logger);
            _ = RetryUntilReachableAsync(stopping.Token);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A host whose start failed may be disposed before it is stopped.
        if (Volatile.Read(ref disposed) == 0)
        {
            stopping.Cancel();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            stopping.Cancel();
            stopping.Dispose();
        }
    }

    private void Judge(IReadOnlyList<string> powers)
    {
        if (powers.Count == 0)
        {
            return;
        }

        var role = DatabaseRoles.RoleOf(dataSource.ConnectionString) ?? "?";
        if (environment.IsProduction())
        {
            throw new InvalidOperationException(
                $"Die Anwendung verbindet sich als Rolle \"{role}\", die mehr darf als Zeilen lesen und schreiben ({string.Join(", ", powers)}). "
                + "In Production muss ConnectionStrings__Postgres eine Rolle ohne Eigentum nennen; Migrationen laufen mit ConnectionStrings__PostgresOwner (docs/operations.md).");
        }

        LogPowers(logger, role, string.Join(", ", powers));
    }

    private async Task RetryUntilReachableAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryInterval, ct);
                Judge(await DatabaseRoles.PowersBeyondRowsAsync(dataSource, ct));
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (NpgsqlException)
            {
                // Still not reachable: try again.
            }
            catch (InvalidOperationException)
            {
                LogStopping(logger);
                lifetime.StopApplication();
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database role {Role} may do more than read and write rows: {Powers}. Use a role that owns nothing (docs/operations.md).")]
    private static partial void LogPowers(ILogger logger, string role, string powers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable at start: the check of the database role is repeated until it is.")]
    private static partial void LogNotReachable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The database role may do more than read and write rows: stopping (docs/operations.md).")]
    private static partial void LogStopping(ILogger logger);
}
