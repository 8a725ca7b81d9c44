using System.Net;
using CaseManagement.Storage;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// What a request does when PostgreSQL is gone or was restarted (docs/operations.md, "Faults"):
/// <list type="number">
/// <item>the pools are cleared (after a restart every idle pooled connection is dead) and the request is tried once more
/// on fresh connections — a read (GET/HEAD) always, a write only when it failed before its endpoint ran (signing in,
/// the session check), so that no write whose commit may have happened runs twice;</item>
/// <item>if it fails again: 503 with <c>Retry-After</c> — the API a German problem+json, pages a German error page
/// that needs neither the database nor the signed-in user (the layout would ask the database).</item>
/// </list>
/// </summary>
public static partial class DatabaseOutage
{
    /// <summary>Seconds a client is asked to wait (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    private const string EndpointStarted = "cm:endpoint-started";

    /// <summary>Around everything that may touch the database (authentication, endpoints).</summary>
    public static IApplicationBuilder UseDatabaseOutage(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception first) when (DatabaseFaults.IsUnavailable(first) && !context.Response.HasStarted)
            {
                var services = context.RequestServices;
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseOutage));
                DatabaseFaults.ClearPools(services.GetService<NpgsqlDataSource>());
                if (!MayRetry(context))
                {
                    LogUnavailable(logger, DatabaseFaults.Describe(first));
                    await AnswerUnavailable(context);
                    return;
                }

                LogRetrying(logger, DatabaseFaults.Describe(first));
                if (!await TryAgain(context, next, logger))
                {
                    await AnswerUnavailable(context);
                }
            }
        });

    /// <summary>Just before the endpoint: from here on a write may have happened.</summary>
    public static IApplicationBuilder MarkEndpointStarted(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Items[EndpointStarted] = true;
            return next(context);
        });

    private static bool MayRetry(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || !context.Items.ContainsKey(EndpointStarted);

    /// <summary>The whole request once more, in a fresh service scope (no context or session that saw the dead connection).</summary>
    private static async Task<bool> TryAgain(HttpContext context, RequestDelegate next, ILogger logger)
    {
        context.Response.Clear();
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        context.Items.Remove(EndpointStarted);
        var original = context.RequestServices;
        await using var scope = original.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        try
        {
            await next(context);
            return true;
        }
        catch (Exception again) when (DatabaseFaults.IsUnavailable(again) && !context.Response.HasStarted)
        {
            LogUnavailable(logger, DatabaseFaults.Describe(again));
            return false;
        }
        finally
        {
            context.RequestServices = original;
        }
    }

    private static async Task AnswerUnavailable(HttpContext context)
    {
        context.Response.Clear();
        context.SetEndpoint(null);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = GermanProblemDetails.Title(StatusCodes.Status503ServiceUnavailable),
                    Detail = GermanProblemDetails.Detail(StatusCodes.Status503ServiceUnavailable),
                    Type = ProblemTypes.Unavailable,
                },
            });
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Page, context.RequestAborted);
    }

    /// <summary>The error page without the layout: no database, no user, no view engine — the site's style sheet only.</summary>
    private static readonly string Page =
        $$"""
          <!DOCTYPE html>
          <html lang="de">
          <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>Vorübergehend nicht erreichbar – CaseManagement</title>
              <link rel="stylesheet" href="/css/site.css" />
          </head>
          <body>
              <header class="site-header">
                  <div class="brand">
                      <a href="/" class="brand-name">CaseManagement</a>
                      <span class="brand-sub">Integrationsmanagement Baden-Württemberg</span>
                  </div>
              </header>
              <main id="inhalt" tabindex="-1">
                  <h1>Vorübergehend nicht erreichbar</h1>
                  <p>Die Datenbank ist im Moment nicht erreichbar. Bitte versuchen Sie es in einigen Sekunden noch einmal.
                  Was Sie zuletzt abgeschickt haben, ist entweder vollständig gespeichert oder gar nicht; bitte prüfen Sie es, bevor Sie es erneut senden.</p>
                  <p><a href="/">Zur Startseite</a></p>
              </main>
          </body>
          </html>
          """;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Datenbank nicht erreichbar ({Error}); die Anfrage wird auf einer neuen Verbindung einmal wiederholt.")]
    private static partial void LogRetrying(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Datenbank nicht erreichbar ({Error}); Antwort 503.")]
    private static partial void LogUnavailable(ILogger logger, string error);
}
