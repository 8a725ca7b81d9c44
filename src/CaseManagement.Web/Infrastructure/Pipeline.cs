using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CaseManagement.Web.Infrastructure;

public static class Pipeline
{
    public static WebApplication UseCaseManagement(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebHosting();
        KeyRingProtection.RequireCertificateInProduction(app.Configuration, app.Environment);
        if (IsWorker(app.Configuration))
        {
            // A worker node (--role worker) runs the background jobs and answers health checks only.
            MapHealth(app);
            app.MapFallback(() => Results.NotFound()).AllowAnonymous();
            return app;
        }

        static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

        app.UseServerTiming();

        app.UseWhen(IsApi, api => api.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = RequestLimits.StatusOf }).UseStatusCodePages());
        app.UseWhen(context => !IsApi(context), pages =>
        {
            if (!app.Environment.IsDevelopment())
            {
                pages.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/fehler/500", StatusCodeSelector = RequestLimits.StatusOf });
            }

            pages.UseStatusCodePagesWithReExecute("/fehler/{0}");
        });
        app.UseDatabaseOutage();

        if (!app.Environment.IsDevelopment() && !app.Environment.IsEnvironment("Testing"))
        {
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseNoStore();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseRequestLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseBackgroundJobsDashboard();
        app.MarkEndpointStarted();
        app.MarkServerTimingEndpoint();

        MapHealth(app);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapControllers();
        return app;
    }

    /// <summary><c>--role worker</c> (configuration key <c>Role</c>): background jobs and health checks, no pages, no API.</summary>
    public static bool IsWorker(IConfiguration configuration) =>
        string.Equals(configuration?["Role"], "worker", StringComparison.OrdinalIgnoreCase);

    private static void MapHealth(WebApplication app)
    {
        app.MapMetrics();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
    }
}
