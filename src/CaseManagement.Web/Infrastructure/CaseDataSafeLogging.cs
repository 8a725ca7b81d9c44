using System.Net.Sockets;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// No case content in any log line, ours or a library's (docs/operations.md, "Logs"). Every provider the host
/// has (console, the tests' capture, …) receives exceptions through <see cref="LoggedException"/>: type and
/// stack trace, but the message only where its type cannot carry values (a refused connection, a timeout);
/// a PostgreSQL error keeps its SQLSTATE and constraint, never its text. Marten's own logger, which writes SQL
/// parameters (event bodies) on failures, is replaced by <see cref="CaseDataSafeMartenLogger"/>.
/// </summary>
public sealed class CaseDataSafeLoggerFactory(
    IEnumerable<ILoggerProvider> providers, IOptionsMonitor<LoggerFilterOptions> filter, IOptions<LoggerFactoryOptions> options)
    : LoggerFactory(providers.Select(p => (ILoggerProvider)new CaseDataSafeLoggerProvider(p)), filter, options)
{
    public static void Register(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new CaseDataSafeLoggerFactory(
            sp.GetServices<ILoggerProvider>(), sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(), sp.GetRequiredService<IOptions<LoggerFactoryOptions>>())));
}

internal sealed class CaseDataSafeLoggerProvider(ILoggerProvider inner) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CaseDataSafeLogger(inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    private sealed class CaseDataSafeLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var safe = exception is null ? null : LoggedException.From(exception);
            inner.Log(logLevel, eventId, state, safe, (s, _) => formatter(s, safe));
        }
    }
}

/// <summary>An exception as it may be logged: its type, a message only where the type cannot carry case data, its stack trace.</summary>
public sealed class LoggedException : Exception
{
    private readonly string? stackTrace;

    private LoggedException(string typeName, string message, string? stackTrace, Exception? inner)
        : base(message, inner)
    {
        TypeName = typeName;
        this.stackTrace = stackTrace;
    }

    public string TypeName { get; }

    public override string? StackTrace => stackTrace;

    public static LoggedException From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is LoggedException already)
        {
            return already;
        }

        var inner = exception is AggregateException aggregate && aggregate.InnerExceptions.Count > 0
            ? From(aggregate.InnerExceptions[0])
            : exception.InnerException is { } cause ? From(cause) : null;
        return new LoggedException(exception.GetType().FullName ?? exception.GetType().Name, SafeMessage(exception), exception.StackTrace, inner);
    }

    /// <summary>What may be said about the exception without risking values from the request or the database.</summary>
    public static string SafeMessage(Exception exception) => exception switch
    {
        PostgresException pg => $"SQLSTATE {pg.SqlState}{(pg.ConstraintName is { } c ? $", Constraint {c}" : "")}{(pg.TableName is { } t ? $", Tabelle {t}" : "")} (Text nicht protokolliert)",
        NpgsqlException or SocketException or TimeoutException or OperationCanceledException or ObjectDisposedException => exception.Message,
        _ => "(Meldung nicht protokolliert: sie könnte Falldaten enthalten)",
    };

    public override string ToString() =>
        $"{TypeName}: {Message}{(InnerException is null ? "" : $" ---> {InnerException}")}{Environment.NewLine}{StackTrace}";
}

/// <summary>
/// Marten's logging without SQL parameters or event bodies: failures name the exception type and the SQLSTATE;
/// a concurrency clash (expected: the user gets the stale answer) is logged at Debug only.
/// </summary>
public sealed partial class CaseDataSafeMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => LogSchemaChange(logger);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failure(ex);

    public void LogFailure(Exception ex, string message) => Failure(ex);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

#pragma warning disable CA1873 // guarded by IsEnabled; the type name is all that is evaluated
    private void Failure(Exception ex)
    {
        if (IsExpectedClash(ex))
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogClash(logger, ex.GetType().Name);
            }
        }
        else if (logger.IsEnabled(LogLevel.Warning))
        {
            LogFailed(logger, ex.GetType().Name, LoggedException.SafeMessage(ex));
        }
    }
#pragma warning restore CA1873

    /// <summary>Two writers on one stream: the loser gets the stale answer; not an operator's problem.</summary>
    private static bool IsExpectedClash(Exception ex) =>
        ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException
        || ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure }
        || ex.InnerException is { } inner && IsExpectedClash(inner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Marten: Schema geändert.")]
    private static partial void LogSchemaChange(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Marten: gleichzeitige Änderung ({Exception}); der Aufrufer erhält die Antwort „veraltet“.")]
    private static partial void LogClash(ILogger logger, string exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marten: Datenbankbefehl fehlgeschlagen ({Exception}: {Detail}).")]
    private static partial void LogFailed(ILogger logger, string exception, string detail);
}
