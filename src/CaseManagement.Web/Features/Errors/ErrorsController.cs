using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Errors;

public sealed record ErrorPage(int Status, string Title, string Text);

/// <summary>German error pages for the web UI (the API answers with ProblemDetails instead).</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorsController : Controller
{
    [Route("fehler/{status:int}")]
    public IActionResult Show(int status)
    {
        var page = status switch
        {
            400 => new ErrorPage(400, "Die Anfrage konnte nicht verarbeitet werden",
                "Vermutlich war das Formular zu lange geöffnet oder wurde von außerhalb abgeschickt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal. Es wurde nichts gespeichert."),
            403 => new ErrorPage(403, "Kein Zugriff", "Ihre Rolle erlaubt diese Seite nicht."),
            404 => new ErrorPage(404, "Seite nicht gefunden", "Diese Seite gibt es nicht oder sie gehört nicht zu Ihrer Organisation."),
            _ => new ErrorPage(status, "Ein Fehler ist aufgetreten", "Bitte versuchen Sie es später noch einmal. Der Fehler wurde protokolliert; es wurden keine halben Änderungen gespeichert."),
        };
        Response.StatusCode = status is >= 400 and < 600 ? status : 500;
        return View("Error", page);
    }
}
