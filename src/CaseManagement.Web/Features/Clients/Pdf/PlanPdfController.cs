using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Clients.Pdf;

[Route("api/v1/clients")]
public sealed class PlanPdfController(IMediator mediator, IClock clock) : ApiControllerBase
{
    /// <summary>
    /// The Integrationsplan as an A4 PDF for the client's signature. The file name carries the case number only.
    /// </summary>
    [HttpGet("{id:guid}/plan.pdf")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "application/pdf")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Get(Guid id, CancellationToken ct)
    {
        return PlanPdf.Download(await mediator.Send(new GetCase(id, "PDF"), ct), CaseManagement.Common.Time.Today(clock));
    }
}
