using Microsoft.AspNetCore.Http.Features;

namespace CaseManagement.Web.Infrastructure;

/// <summary>RFC 9457 ProblemDetails with German titles for every status the API returns.</summary>
public static class GermanProblemDetails
{
    public static string Title(int status) => status switch
    {
        400 => "Die Anfrage ist ungültig.",
        401 => "Nicht angemeldet.",
        403 => "Keine Berechtigung.",
        404 => "Nicht gefunden.",
        405 => "Diese Methode ist hier nicht erlaubt.",
        409 => "Jemand anderes hat diese Daten inzwischen geändert.",
        412 => "Jemand anderes hat diese Daten inzwischen geändert.",
        428 => "Versionsangabe fehlt.",
        415 => "Dieses Format wird nicht unterstützt.",
        422 => "Die Eingaben sind unvollständig oder ungültig.",
        429 => "Zu viele Anfragen.",
        503 => "Der Dienst ist vorübergehend nicht erreichbar.",
        >= 500 => "Ein interner Fehler ist aufgetreten.",
        _ => "Die Anfrage konnte nicht bearbeitet werden.",
    };

    public static string? Detail(int status) => status switch
    {
        401 => "Bitte melden Sie sich an (POST /api/v1/auth/login) und senden Sie das Token im Authorization-Header.",
        403 => "Ihre Rolle erlaubt diese Aktion nicht.",
        404 => "Die angeforderte Ressource gibt es nicht oder sie gehört nicht zu Ihrer Organisation.",
        503 => "Die Datenbank ist im Moment nicht erreichbar. Bitte versuchen Sie es nach der in Retry-After genannten Zeit erneut.",
        >= 500 => "Bitte versuchen Sie es später erneut. Der Fehler wurde protokolliert.",
        _ => null,
    };

    public static void Configure(ProblemDetailsOptions options) =>
        options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            // Replace the framework's English defaults; keep titles and details a handler set in German.
            if (problem.Title is null || IsFrameworkDefault(problem.Title))
            {
                problem.Title = Title(status);
            }

            problem.Detail ??= Detail(status);
            if (context.HttpContext.RequestServices.GetService(typeof(Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>)) is Microsoft.Extensions.Localization.IStringLocalizer texts)
            {
                ProblemLanguageFilter.Translate(problem, texts);
            }

            problem.Instance ??= context.HttpContext.Request.Path;
            // A stable, machine-readable type instead of the framework's links to the HTTP specification.
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal)
                                     || problem.Type.StartsWith("https://datatracker.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = ProblemTypes.ForStatus(status);
            }
            problem.Extensions["traceId"] = context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity.Id
                ?? context.HttpContext.TraceIdentifier;
        };

    private static bool IsFrameworkDefault(string title) =>
        title is "Bad Request" or "Unauthorized" or "Forbidden" or "Not Found" or "Method Not Allowed" or "Conflict"
            or "Unsupported Media Type" or "Unprocessable Entity" or "Too Many Requests" or "Precondition Failed" or "Precondition Required"
            or "An error occurred while processing your request."
            or "One or more validation errors occurred.";
}
