using System.Text.Json;
using CaseManagement.Common;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The machine-readable <c>type</c> of every API problem (RFC 9457): a URI under <c>/api/v1/problems/</c> whose last
/// segment is stable — <c>validation</c> (422), <c>stale</c> (412), <c>refused</c> (409, with <c>code</c>),
/// <c>not-found</c> (404), <c>forbidden</c> (403) and the others below. <c>GET</c> on the URI describes it in German.
/// </summary>
public static class ProblemTypes
{
    public const string Base = "/api/v1/problems/";

    public const string Validation = Base + "validation";
    public const string Stale = Base + "stale";
    public const string Refused = Base + "refused";
    public const string NotFound = Base + "not-found";
    public const string Forbidden = Base + "forbidden";
    public const string Unauthorized = Base + "unauthorized";
    public const string BadRequest = Base + "bad-request";
    public const string PreconditionRequired = Base + "precondition-required";
    public const string TooLarge = Base + "too-large";
    public const string TooManyRequests = Base + "too-many-requests";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string ServerError = Base + "server-error";
    public const string Unavailable = Base + "unavailable";

    /// <summary>The problem type of a status the API answers with.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Refused,
        412 => Stale,
        413 => TooLarge,
        415 => UnsupportedMediaType,
        422 => Validation,
        428 => PreconditionRequired,
        429 => TooManyRequests,
        503 => Unavailable,
        _ => ServerError,
    };

    /// <summary>The refusal code as the API spells it (<c>consent-withdrawn</c>).</summary>
    public static string Code(RefusalCode code) => JsonNamingPolicy.KebabCaseLower.ConvertName(code.ToString());

    /// <summary>What each type means, in German (served at its URI).</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["validation"] = "Die Eingaben sind unvollständig oder liegen außerhalb der zulässigen Bereiche; errors nennt jedes Feld. Es wurde nichts gespeichert.",
        ["stale"] = "Jemand anderes hat die Daten geändert, seit Sie sie gelesen haben (If-Match); currentVersion ist der jetzige Stand. Es wurde nichts gespeichert.",
        ["refused"] = "Die Eingabe ist in Ordnung, aber der Fall nimmt diese Änderung jetzt nicht an; code nennt den Grund (restricted, consent-withdrawn, closed, erased, invalid-transition, possible-duplicate).",
        ["not-found"] = "Das gibt es nicht oder es gehört nicht zu Ihrer Organisation.",
        ["forbidden"] = "Ihre Rolle erlaubt diese Aktion nicht.",
        ["unauthorized"] = "Nicht angemeldet oder die Sitzung ist beendet.",
        ["bad-request"] = "Die Anfrage konnte nicht gelesen werden (z. B. kein gültiges JSON oder ein falscher Typ).",
        ["precondition-required"] = "Diese Änderung braucht die Version, die Sie gelesen haben, im If-Match-Header.",
        ["too-large"] = "Die Anfrage ist zu groß.",
        ["too-many-requests"] = "Zu viele Anfragen; bitte nach der in Retry-After genannten Zeit erneut versuchen.",
        ["method-not-allowed"] = "Diese Methode ist hier nicht erlaubt.",
        ["unsupported-media-type"] = "Dieses Format wird nicht unterstützt (bitte application/json).",
        ["server-error"] = "Ein interner Fehler; er wurde protokolliert.",
        ["unavailable"] = "Die Datenbank ist vorübergehend nicht erreichbar; bitte nach der in Retry-After genannten Zeit erneut versuchen. Eine Änderung wurde entweder vollständig gespeichert oder gar nicht (mit Idempotency-Key gefahrlos wiederholbar).",
    };
}
