using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Hangfire.Server;
using OpenTelemetry.Metrics;
using IPNetwork = System.Net.IPNetwork;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// OpenTelemetry metrics in Prometheus format at <c>/metrics</c> (docs/operations.md, "Monitoring"): requests
/// (<c>http_server_request_duration_seconds</c>, labelled with the route template, never the raw path), the runtime,
/// PostgreSQL connections and commands (Npgsql's meter) and background jobs (<see cref="JobMetrics"/>: by job type
/// name, never arguments). Answered to loopback and the addresses of <c>Metrics:AllowedAddresses</c> only; everyone
/// else gets 404.
/// </summary>
public static class Metrics
{
    public const string Path = "/metrics";
    public const string Section = "Metrics";

    public static IServiceCollection AddCaseManagementMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("Npgsql")
            .AddMeter(JobMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>The scrape endpoint; callers not allowed get 404 (as if it did not exist).</summary>
    public static void MapMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var allowed = AllowedNetworks(app.Configuration);
        app.MapPrometheusScrapingEndpoint(Path)
            .AddEndpointFilter(async (context, next) => IsAllowed(context.HttpContext.Connection.RemoteIpAddress, allowed) ? await next(context) : Results.NotFound())
            .AllowAnonymous();
    }

    public static bool IsAllowed(IPAddress? address, IReadOnlyList<IPNetwork> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address) || allowed.Any(network => network.Contains(address));
    }

    /// <summary><c>Metrics:AllowedAddresses:0..n</c>: addresses or networks in CIDR notation; one that does not parse stops the start.</summary>
    public static IReadOnlyList<IPNetwork> AllowedNetworks(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(Section).GetSection("AllowedAddresses").GetChildren()
            .Select(c => c.Value?.Trim() ?? "").Where(v => v.Length > 0)
            .Select(value => IPAddress.TryParse(value, out var address)
                ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
                : IPNetwork.TryParse(value, out var network)
                    ? network
                    : throw new InvalidOperationException(
                        $"{Section}__AllowedAddresses: \"{value}\" ist weder eine IP-Adresse noch ein Netz in CIDR-Schreibweise (z. B. 10.0.0.7 oder 10.0.0.0/24)."))
            .ToList();
    }
}

/// <summary>Background jobs succeeded and failed, and how long they ran, by job type name (<c>ReminderJobs.ScanOrganisation</c>); no arguments.</summary>
public sealed class JobMetrics : IServerFilter
{
    public const string MeterName = "CaseManagement.Jobs";

    private const string Started = "cm:metrics-started";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Succeeded = Meter.CreateCounter<long>("casemanagement.jobs.succeeded", "{job}", "Background jobs that ended successfully.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("casemanagement.jobs.failed", "{job}", "Background job runs that ended with an error (each attempt).");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("casemanagement.jobs.duration", "s", "How long a background job ran.");

    private static readonly Lock Registering = new();

    /// <summary>Hangfire's filters are process-wide: added once, however many hosts (tests) the process starts.</summary>
    public static void RegisterOnce()
    {
        lock (Registering)
        {
            if (!Hangfire.GlobalJobFilters.Filters.Any(f => f.Instance is JobMetrics))
            {
                Hangfire.GlobalJobFilters.Filters.Add(new JobMetrics());
            }
        }
    }

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Started] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.BackgroundJob.Job;
        var type = new KeyValuePair<string, object?>("job_type", job is null ? "unknown" : $"{job.Type.Name}.{job.Method.Name}");
        if (context.Items.TryGetValue(Started, out var started) && started is long timestamp)
        {
            Duration.Record(Stopwatch.GetElapsedTime(timestamp).TotalSeconds, type);
        }

        if (context.Exception is null || context.ExceptionHandled)
        {
            Succeeded.Add(1, type);
        }
        else
        {
            Failed.Add(1, type);
        }
    }
}
