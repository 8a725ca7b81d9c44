using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> the application believes
/// (configuration section <c>ForwardedHeaders</c>: <c>KnownProxies__0..n</c> addresses, <c>KnownNetworks__0..n</c>
/// in CIDR notation). Nobody configured: the headers are ignored from everyone.
/// </summary>
public sealed record ProxySettings(IReadOnlyList<IPAddress> KnownProxies, IReadOnlyList<IPNetwork> KnownNetworks)
{
    public const string Section = "ForwardedHeaders";

    public bool Any => KnownProxies.Count + KnownNetworks.Count > 0;

    /// <summary>The settings from configuration; an address or network that does not parse stops the start with a German message.</summary>
    public static ProxySettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var proxies = Values(section, "KnownProxies").Select(value => IPAddress.TryParse(value, out var address)
            ? address
            : throw new InvalidOperationException(
                $"{Section}__KnownProxies: \"{value}\" ist keine IP-Adresse. Bitte die Adressen der Reverse-Proxys angeben, z. B. 10.0.0.5 oder fd00::5.")).ToList();
        var networks = Values(section, "KnownNetworks").Select(value => IPNetwork.TryParse(value, out var network)
            ? network
            : throw new InvalidOperationException(
                $"{Section}__KnownNetworks: \"{value}\" ist kein Netz in CIDR-Schreibweise. Bitte z. B. 10.0.0.0/24 angeben.")).ToList();
        return new ProxySettings(proxies, networks);
    }

    private static IEnumerable<string> Values(IConfigurationSection section, string key) =>
        section.GetSection(key).GetChildren().Select(c => c.Value?.Trim() ?? "").Where(v => v.Length > 0);
}

/// <summary>
/// What the application needs behind a reverse proxy and on the open internet: forwarded headers from the
/// configured proxies only, <c>Secure</c> cookies over HTTPS, <c>AllowedHosts</c> required in Production,
/// and no caching of anything the application answers (pages, API, files with personal data).
/// </summary>
public static class WebHosting
{
    public static IServiceCollection AddWebHosting(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var proxies = ProxySettings.From(configuration);
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured ones (the framework's default trusts loopback); every hop must be one of them.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.ForwardLimit = null;
            foreach (var proxy in proxies.KnownProxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in proxies.KnownNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        // Every cookie (sign-in, antiforgery, anything added later) is Secure when the request came over HTTPS.
        services.Configure<CookiePolicyOptions>(options => options.Secure = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>
    /// First in the pipeline: refuse to serve in Production without <c>AllowedHosts</c> (the host filter that
    /// the framework puts before everything answers a foreign Host header with 400), then the forwarded headers
    /// (only with configured proxies: with none, the framework's middleware would believe everyone), then the
    /// cookie policy.
    /// </summary>
    public static WebApplication UseWebHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RequireAllowedHosts(app.Configuration, app.Environment);
        if (ProxySettings.From(app.Configuration).Any)
        {
            app.UseForwardedHeaders();
        }

        app.UseCookiePolicy();
        return app;
    }

    /// <summary>In Production, <c>AllowedHosts</c> must name the host names; <c>*</c> or nothing stops the start.</summary>
    public static void RequireAllowedHosts(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var hosts = (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (environment.IsProduction() && (hosts.Length == 0 || hosts.Contains("*")))
        {
            throw new InvalidOperationException(
                "AllowedHosts ist in Production nicht gesetzt oder erlaubt jeden Host (\"*\"). Bitte die Hostnamen eintragen, unter denen "
                + "die Anwendung erreichbar ist, z. B. AllowedHosts=cm.example.org (mehrere durch Semikolon getrennt).");
        }
    }

    /// <summary>
    /// <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c> on everything the application answers after the
    /// static files: pages, the print view, the API, PDF, ZIP, CSV and XLSX downloads, errors. Set when the
    /// answer starts, so it holds whatever a controller, a filter or the error handler did before.
    /// </summary>
    public static IApplicationBuilder UseNoStore(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Pragma = "no-cache";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
