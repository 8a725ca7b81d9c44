using CaseManagement.Common;
using CaseManagement.Plans.Translations;
using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Plans.Print;

[Route("api/v1/clients")]
public sealed class PlanPdfController(IMediator mediator, IClock clock) : ApiControllerBase
{
    /// <summary>
    /// The Integrationsplan as an A4 PDF for the client's signature, every fixed text in German and in the client's
    /// language: <c>language</c> (ISO 639-1; <c>de</c> for German only; without it the case's first supported language).
    /// Another language answers 422 with the supported list. The file name carries the case number only.
    /// </summary>
    [HttpGet("{id:guid}/plan.pdf")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "application/pdf")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> Get(Guid id, [FromQuery] string? language, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(language) && PlanTranslations.Find(language) is null)
        {
            var problem = InputProblem([new InputError("language", PlanTranslations.Unsupported(language))]);
            ((ValidationProblemDetails)problem.Value!).Extensions["supportedLanguages"] = PlanTranslations.SupportedCodes;
            return problem;
        }

        var plan = await mediator.Send(new GetCase(id, "PDF"), ct);
        return PlanDocument.Download(plan, PlanPrint.Language(language, plan)!, Time.Today(clock));
    }
}
