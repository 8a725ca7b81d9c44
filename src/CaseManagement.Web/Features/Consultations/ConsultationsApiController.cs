using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Features.Clients;
using Mediator;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Consultations;

public sealed record ConsultationInput(
    LocalDate? Date, int? DurationMinutes, ConsultationMode? Mode, IReadOnlyList<FieldOfAction>? Fields, string? InterpreterLanguage, string? Note);

/// <summary>Consultations (Beratungskontakte) of a case.</summary>
[Route("api/v1/clients")]
public sealed class ConsultationsApiController(IMediator mediator) : CaseApiControllerBase(mediator)
{
    /// <summary>Records a consultation (Beratungskontakt); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/consultations")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    [Idempotent]
    public async Task<IActionResult> RecordConsultation(Guid id, ConsultationInput request, CancellationToken ct) =>
        await Versioned(id, v => new RecordConsultation(id, v, request?.Date, request?.DurationMinutes, request?.Mode, request?.Fields,
                request?.InterpreterLanguage, request?.Note), ct);
}
