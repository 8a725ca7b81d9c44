using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Errors;

public sealed record ErrorPage(int Status, string Title, string Text)
{
    /// <summary>What exactly was wrong (e.g. one line per field), shown as a list.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];
}

/// <summary>
/// German error pages for the web UI (the API answers with ProblemDetails instead). They are shown when the
/// pipeline re-executes a failed request here; asked for directly, the address does not exist (404), so no
/// request can choose its own status.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorsController : Controller
{
    [Route("fehler/{status:int}")]
    public IActionResult Show()
    {
        // The status is the failed request's own, never one the request names (the route value is only the path).
        var status = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } statusPage
            ? statusPage.OriginalStatusCode
            : HttpContext.Features.Get<IExceptionHandlerPathFeature>() is not null
                ? Response.StatusCode is >= 400 and < 500 ? Response.StatusCode : StatusCodes.Status500InternalServerError
                : StatusCodes.Status404NotFound;
        if (status is < 400 or > 599)
        {
            status = StatusCodes.Status404NotFound;
        }

        var page = status switch
        {
            400 => new ErrorPage(400, "Die Anfrage konnte nicht verarbeitet werden",
                "Vermutlich war das Formular zu lange geöffnet oder wurde von außerhalb abgeschickt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal. Es wurde nichts gespeichert."),
            403 => new ErrorPage(403, "Kein Zugriff", "Ihre Rolle erlaubt diese Seite nicht."),
            404 => new ErrorPage(404, "Seite nicht gefunden", "Diese Seite gibt es nicht oder sie gehört nicht zu Ihrer Organisation."),
            422 => new ErrorPage(422, "Die Eingabe kann nicht gespeichert werden",
                "Sie enthält Zeichen, die nicht gespeichert werden können (z. B. Steuerzeichen wie NUL). Es wurde nichts gespeichert; bitte gehen Sie zurück und korrigieren Sie die Eingabe."),
            413 => new ErrorPage(413, "Die Eingabe ist zu groß", "Eine Anfrage darf höchstens 1 MB groß sein (ein Dokument höchstens 20 MB). Es wurde nichts gespeichert."),
            429 => new ErrorPage(429, "Zu viele Anfragen", "Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
            _ => new ErrorPage(status, "Ein Fehler ist aufgetreten", "Bitte versuchen Sie es später noch einmal. Der Fehler wurde protokolliert; es wurden keine halben Änderungen gespeichert."),
        };
        Response.StatusCode = status;
        return View("Error", page);
    }
}
