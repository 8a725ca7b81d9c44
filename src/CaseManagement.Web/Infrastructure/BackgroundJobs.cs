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
        services.AddHangfire((sp, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(ServiceRegistration.RequireConnectionString(sp.GetRequiredService<IConfiguration>())),
                new PostgreSqlStorageOptions { SchemaName = Schema, PrepareSchemaIfNecessary = false }));
        // A worker always runs the server; a web node unless Hangfire:Server is false (when workers do the jobs).
        if (Pipeline.IsWorker(configuration) || configuration.GetValue("Hangfire:Server", true))
        {
            services.AddHangfireServer(options => options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}");
        }

        if (configuration.GetValue("Hangfire:Schedule", true))
        {
            services.AddHostedService<ReminderSchedule>();
        }

        services.AddScoped<ReminderJobs>();
        return services;
    }

    /// <summary>The dashboard at /hangfire, for administrators only (others: 403, anonymous: 401).</summary>
    public static WebApplication UseBackgroundJobsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdministratorsOnly()],
            DashboardTitle = "CaseManagement – Hintergrundaufträge",
            AppPath = "/",
        });
        return app;
    }

    private sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Administrator);
    }
}

/// <summary>Reminder jobs; Hangfire resolves them per job in their own scope.</summary>
public sealed class ReminderJobs(ReminderScan scan)
{
    /// <summary>The daily scan of one organisation (argument: its id only).</summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task ScanOrganisation(Guid organisationId, CancellationToken cancellationToken) => await scan.RunAsync(organisationId, cancellationToken);
}

/// <summary>
/// At start-up: one recurring job per organisation, daily at the configured local time
/// (default 06:30 Europe/Berlin; Hangfire evaluates the cron expression in that zone, across DST).
/// </summary>
public sealed class ReminderSchedule(IServiceScopeFactory scopes, IRecurringJobManager jobs, IConfiguration configuration) : IHostedService
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static string JobId(Guid organisationId) => $"reminders-{organisationId:N}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var time = TimeOnly.Parse(configuration["Reminders:DailyAt"] ?? "06:30", System.Globalization.CultureInfo.InvariantCulture);
        await using var scope = scopes.CreateAsyncScope();
        var organisations = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Organisations.Select(o => o.Id).ToListAsync(cancellationToken);
        foreach (var organisation in organisations)
        {
            jobs.AddOrUpdate<ReminderJobs>(JobId(organisation), j => j.ScanOrganisation(organisation, CancellationToken.None),
                Cron.Daily(time.Hour, time.Minute), new RecurringJobOptions { TimeZone = Berlin });
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
