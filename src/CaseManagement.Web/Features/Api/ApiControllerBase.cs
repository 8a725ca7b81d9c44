using System.Text.Json;
using CaseManagement.Common;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

/// <summary>
/// JSON API under <c>/api/v1</c>: bearer tokens only (no cookies, hence no CSRF surface), errors as
/// RFC 9457 ProblemDetails in German with a stable <c>type</c> (<see cref="ProblemTypes"/>).
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
            Type = ProblemTypes.Validation,
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Die Eingaben sind unvollständig oder ungültig.",
            Detail = "Es wurde nichts gespeichert.",
        });
    }

    /// <summary>422 for input errors named like the JSON fields (camelCase).</summary>
    protected UnprocessableEntityObjectResult InputProblem(IEnumerable<InputError> errors) => InputProblem(errors, new Dictionary<string, string>());

    /// <summary>
    /// The one mapping of a use case's outcome to HTTP: invalid → 422 <c>validation</c> (errors per field), stale → 412
    /// <c>stale</c> (<c>currentVersion</c>), refused → 409 <c>refused</c> (<c>code</c>). Accepted outcomes are the caller's.
    /// </summary>
    protected ObjectResult OutcomeProblem<T>(Outcome<T> outcome, IReadOnlyDictionary<string, string>? fieldNames = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        switch (outcome.Kind)
        {
            case OutcomeKind.Stale:
            {
                var stale = Problem(ProblemTypes.Stale, StatusCodes.Status412PreconditionFailed, "Jemand anderes hat diese Daten inzwischen geändert.", outcome.Message);
                ((ProblemDetails)stale.Value!).Extensions["currentVersion"] = outcome.CurrentVersion;
                return stale;
            }

            case OutcomeKind.Refused:
            {
                var refused = Problem(ProblemTypes.Refused, StatusCodes.Status409Conflict, "Der Fall nimmt diese Änderung nicht an.", outcome.Message);
                var problem = (ProblemDetails)refused.Value!;
                problem.Extensions["code"] = ProblemTypes.Code(outcome.Code!.Value);
                if (outcome.Errors[0].RelatedCaseId is { } related)
                {
                    problem.Extensions["existingCaseId"] = related;
                }

                return refused;
            }

            case OutcomeKind.Invalid:
                return InputProblem(outcome.Errors, fieldNames ?? new Dictionary<string, string>());
            default:
                throw new InvalidOperationException("An accepted outcome is not a problem.");
        }
    }

    private ObjectResult Problem(string type, int status, string title, string detail) =>
        new(new ProblemDetails { Type = type, Status = status, Title = title, Detail = detail, Instance = Request.Path }) { StatusCode = status };
}
