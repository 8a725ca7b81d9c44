using System.Text.Json;
using CaseManagement.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

/// <summary>
/// JSON API under <c>/api/v1</c>: bearer tokens only (no cookies, hence no CSRF surface), errors as
/// RFC 9457 ProblemDetails in German.
/// </summary>
[ApiController]
[Authorize(AuthenticationSchemes = BearerScheme)]
[IgnoreAntiforgeryToken]
public abstract class ApiControllerBase : ControllerBase
{
    /// <summary>Identity's bearer scheme (<c>IdentityConstants.BearerScheme</c>, not a constant there).</summary>
    public const string BearerScheme = "Identity.Bearer";

    /// <summary>422 with the German message of every field, keyed by the JSON field name.</summary>
    protected UnprocessableEntityObjectResult InputProblem(IEnumerable<InputError> errors, IReadOnlyDictionary<string, string> fieldNames)
    {
        var byField = errors
            .GroupBy(e => fieldNames.TryGetValue(e.Field, out var name) ? name : JsonNamingPolicy.CamelCase.ConvertName(e.Field))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return UnprocessableEntity(new ValidationProblemDetails(byField)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Die Eingaben sind unvollständig oder ungültig.",
            Detail = "Es wurde nichts gespeichert.",
        });
    }

    /// <summary>422 for input errors named like the JSON fields (camelCase).</summary>
    protected UnprocessableEntityObjectResult InputProblem(IEnumerable<InputError> errors) => InputProblem(errors, new Dictionary<string, string>());
}
