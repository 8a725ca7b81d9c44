namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// <c>Maintenance:RestoredCopy=true</c> (environment <c>Maintenance__RestoredCopy=true</c>): the one switch for a
/// restored backup started for testing or inspection — no Hangfire server (no job runs, also none that the restored
/// <c>hangfire</c> schema still holds), no recurring job registered, no evaluation of changed cases, no e-mail sent.
/// Pages and API work as usual (docs/operations.md, "Restoring a backup").
/// </summary>
public static partial class Maintenance
{
    public const string RestoredCopyKey = "Maintenance:RestoredCopy";

    public static bool IsRestoredCopy(IConfiguration configuration) => configuration?.GetValue(RestoredCopyKey, false) == true;

    /// <summary>Says at start, in the log, that this node is a restored copy with jobs and mail switched off.</summary>
    public sealed partial class RestoredCopyNotice(ILogger<RestoredCopyNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogRestoredCopy(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Wiederhergestellte Kopie (Maintenance__RestoredCopy=true): keine Hintergrundaufträge, keine geplanten Läufe, keine E-Mails.")]
        private static partial void LogRestoredCopy(ILogger logger);
    }
}
