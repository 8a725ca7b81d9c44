using CaseManagement.Organisations;
using CaseManagement.Reminders;
using CaseManagement.Storage;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Hangfire on PostgreSQL (schema <c>hangfire</c>, created by migrations/0007, never by the library).
/// The server runs in the web app unless <c>Hangfire:Server</c> is false; job arguments carry ids only.
/// </summary>
public static class BackgroundJobs
{
    public const string Schema = "hangfire";

    public static IServiceCollection AddBackgroundJobs(this IServiceCollection services, IConfiguration configuration)
    {
        // The storage is this application's own singleton, not Hangfire's process-wide JobStorage.Current:
        // the client, the server, the recurring-job manager and the dashboard all take it from here.
        services.AddSingleton<JobStorage>(sp =>
        {
            var options = new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = false,
                // How soon an enqueued job (e.g. the immediate evaluation of a case, or a retry) starts.
                QueuePollInterval = TimeSpan.FromSeconds(sp.GetRequiredService<IConfiguration>().GetValue("Hangfire:QueuePollSeconds", 5)),
                // A job fetched by a worker that died (kill -9, lost connection) is taken by another worker after this
                // time, not after the library's 30 minutes; a running job's worker renews it (sliding), so a long job
                // is never taken twice while its worker lives.
                InvisibilityTimeout = InvisibilityTimeout(sp.GetRequiredService<IConfiguration>()),
                UseSlidingInvisibilityTimeout = true,
                // A lock of a process that died holding it (kill -9 while the recurring-job scheduler or another of the
                // library's loops held it for a few milliseconds) is taken over after this time, not after the library's
                // ten minutes, in which no daily run would be started (ClusterFaultTests, drill 3b). The locks are held
                // for milliseconds to seconds; none of our jobs takes one.
                DistributedLockTimeout = DistributedLockTimeout,
            };
            return new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(
                ServiceRegistration.RequireConnectionString(sp.GetRequiredService<IConfiguration>()), options), options);
        });
        // Likewise the job activator: jobs are created in this application's container, never in another's.
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        JobMetrics.RegisterOnce();
        // A restored copy (Maintenance:RestoredCopy) runs no jobs at all, registers none and sends no e-mail.
        var restoredCopy = Maintenance.IsRestoredCopy(configuration);
        // A worker always runs the server; a web node unless Hangfire:Server is false (when workers do the jobs).
        if (!restoredCopy && (Pipeline.IsWorker(configuration) || configuration.GetValue("Hangfire:Server", true)))
        {
            var schedulePolling = TimeSpan.FromSeconds(configuration.GetValue("Hangfire:SchedulePollingSeconds", 15));
            services.AddHangfireServer(options =>
            {
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                options.SchedulePollingInterval = schedulePolling; // how soon a retry or a job scheduled for tomorrow 00:00 starts
            });

        }

        // The changed cases of every commit (cases.case_changes) are evaluated by a loop on every node (it only
        // enqueues the scans; several nodes share the rows). Reminders:ChangeDispatcher=false leaves it to others.
        var changePoll = TimeSpan.FromMilliseconds(configuration.GetValue("Reminders:ChangePollMilliseconds", 1000));
        services.AddSingleton(sp => new CaseChangeDispatcher(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<ILogger<CaseChangeDispatcher>>(), changePoll));
        if (!restoredCopy && configuration.GetValue("Reminders:ChangeDispatcher", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<CaseChangeDispatcher>());
        }

        if (!restoredCopy && configuration.GetValue("Hangfire:Schedule", true))
        {
            services.AddHostedService<ReminderScheduleAtStart>();
        }

        if (restoredCopy)
        {
            services.AddHostedService<Maintenance.RestoredCopyNotice>();
        }

        services.AddScoped<ReminderJobs>();
        services.AddScoped<ReminderDigest>();
        services.AddSingleton(sp => new Mailer(restoredCopy
            ? new MailOptions() // no host: nothing is sent (ReminderDigest skips, as without a configured server)
            : sp.GetRequiredService<IConfiguration>().GetSection(MailOptions.Section).Get<MailOptions>() ?? new MailOptions()));
        return services;
    }

    /// <summary>After this long the lock row of a process that died holding it is taken over (Hangfire.PostgreSql's default: ten minutes).</summary>
    public static readonly TimeSpan DistributedLockTimeout = TimeSpan.FromMinutes(1);

    /// <summary><c>Hangfire:InvisibilitySeconds</c> (10–600, default 30): when a job fetched by a dead worker is taken again.</summary>
    public static TimeSpan InvisibilityTimeout(IConfiguration configuration)
    {
        var seconds = configuration.GetValue("Hangfire:InvisibilitySeconds", 30);
        return seconds is >= 10 and <= 600
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException("Hangfire__InvisibilitySeconds muss zwischen 10 und 600 liegen (Sekunden, bis ein Auftrag eines ausgefallenen Workers neu vergeben wird).");
    }

    /// <summary>
    /// The dashboard at /hangfire shows, triggers and deletes the jobs of every organisation: for the platform
    /// operator only (role granted by the <c>grant-operator</c> verb, never by an organisation's administrator);
    /// everyone else 403, anonymous callers 401 (pages: the sign-in page).
    /// </summary>
    public static WebApplication UseBackgroundJobsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new PlatformOperatorsOnly()],
            DashboardTitle = "CaseManagement – Hintergrundaufträge",
            AppPath = "/",
        });
        return app;
    }

    private sealed class PlatformOperatorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.PlatformOperator);
    }
}

/// <summary>
/// Hangfire's log provider is process-wide: once the host that set it is disposed (tests start and stop
/// several hosts in one process), its logger factory throws. Logging then goes nowhere instead of
/// breaking the workers of the hosts that still run.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    public Hangfire.Logging.ILog GetLogger(string name) => new SafeLog(factory, name);

    private sealed class SafeLog(ILoggerFactory factory, string name) : Hangfire.Logging.ILog
    {
        private ILogger? logger;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                logger ??= factory.CreateLogger(name);
                var level = logLevel switch
                {
                    Hangfire.Logging.LogLevel.Trace => LogLevel.Trace,
                    Hangfire.Logging.LogLevel.Debug => LogLevel.Debug,
                    Hangfire.Logging.LogLevel.Info => LogLevel.Information,
                    Hangfire.Logging.LogLevel.Warn => LogLevel.Warning,
                    Hangfire.Logging.LogLevel.Error => LogLevel.Error,
                    _ => LogLevel.Critical,
                };
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

#pragma warning disable CA1848, CA2254, CA1873 // Hangfire hands over finished messages; IsEnabled is checked by Hangfire first
                logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254, CA1873
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}

/// <summary>
/// At start-up: one recurring job per organisation at its daily time (its own setting or the configured
/// default), the nightly data-protection jobs (retention, access-log purge) and the sweep of imports whose worker died. New organisations and changed times are registered where they happen (add-organisation,
/// the reminder settings page).
/// </summary>
public sealed class ReminderScheduleAtStart(IServiceScopeFactory scopes, IRecurringJobManager jobs) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var organisations = await services.GetRequiredService<AppDbContext>().Organisations.Select(o => o.Id).ToListAsync(cancellationToken);
        var policies = services.GetRequiredService<ReminderPolicies>();
        foreach (var organisation in organisations)
        {
            ReminderSchedule.Register(jobs, organisation, (await policies.ForAsync(organisation, cancellationToken)).DailyAt);
        }

        CaseManagement.DataProtection.DataProtectionJobs.Register(jobs);
        CaseManagement.CaseImports.ImportJobs.RegisterSweep(jobs);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
