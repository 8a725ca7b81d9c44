using CaseManagement.Documents;
using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Documents;

/// <summary>A document of a case as the API lists it.</summary>
public sealed record DocumentResponse(Guid Id, string Title, DocumentKind Kind, LocalDate Date, string ContentType, long Size, Instant UploadedAt);

/// <summary>The id of a document just attached.</summary>
public sealed record DocumentCreatedResponse(Guid Id);

/// <summary>Why a document is deleted (required, at most 1,000 characters).</summary>
public sealed record DeleteDocumentRequest(string? Reason);

/// <summary>
/// Documents of a case (PDF, JPEG, PNG, DOCX, ODT; at most 20 MB; the type is checked by the content). Read and
/// changed by those who may work on the case; another team's or organisation's case is 404. Every download is in the
/// access log.
/// </summary>
[Route("api/v1/clients")]
public sealed class DocumentsApiController(IMediator mediator) : CaseApiControllerBase(mediator)
{
    /// <summary>Attaches a file (multipart: <c>file</c>, <c>title</c>, <c>kind</c>, optional <c>date</c> — default today). A <c>SignedPlan</c> also records the plan's signature on that date. Requires <c>If-Match</c> (the case's version, 428 without). Accepts <c>Idempotency-Key</c>: the same upload again answers the first result.</summary>
    /// <param name="id">The case.</param>
    /// <param name="file">The file: PDF, JPEG, PNG, DOCX or ODT, at most 20 MB (413 when larger, 415 for another type).</param>
    /// <param name="title">Title, at most 200 characters.</param>
    /// <param name="kind">SignedPlan, ResidenceDocument, Certificate, Letter or Other.</param>
    /// <param name="date">The document's date (YYYY-MM-DD, 1900 to today; for a signed plan the signature day within the last 20 years); default today.</param>
    /// <param name="clock">Today, for the default date.</param>
    /// <param name="ct">Aborted request.</param>
    [HttpPost("{id:guid}/documents")]
    [Idempotent]
    [RequestSizeLimit(DocumentFiles.MaxRequestBytes)]
    [Consumes("multipart/form-data")]
    [ProducesResponseType<DocumentCreatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> UploadDocument(
        Guid id, IFormFile? file, [FromForm] string? title, [FromForm] DocumentKind? kind, [FromForm] DateOnly? date, [FromServices] IClock clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (IfMatchVersion() is not { } version)
        {
            return VersionRequired();
        }

        await using var content = file?.OpenReadStream();
        var (problem, _) = DocumentFiles.Check(content, file?.Length ?? 0);
        if (problem is DocumentFileProblem.TooLarge or DocumentFileProblem.UnsupportedType)
        {
            var status = problem == DocumentFileProblem.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status415UnsupportedMediaType;
            return StatusCode(status, new ProblemDetails
            {
                Type = ProblemTypes.ForStatus(status), Status = status, Title = DocumentFiles.Message(problem), Detail = "Es wurde nichts gespeichert.", Instance = Request.Path,
            });
        }

        var day = date is { } d ? LocalDate.FromDateOnly(d) : Time.Today(clock);
        var attached = await Mediator.Send(new AttachDocument(id, version, title, kind, day, content, file?.Length ?? 0), ct);
        if (!attached.Succeeded)
        {
            return OutcomeProblem(attached, new Dictionary<string, string> { ["File"] = "file" });
        }

        Response.Headers.ETag = ETag(attached.Value!.Version);
        return CreatedAtAction(nameof(DownloadDocument), new { id, documentId = attached.Value.DocumentId }, new DocumentCreatedResponse(attached.Value.DocumentId));
    }

    /// <summary>The documents of the case (not the deleted ones), oldest first.</summary>
    [HttpGet("{id:guid}/documents")]
    [ProducesResponseType<IReadOnlyList<DocumentResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<IReadOnlyList<DocumentResponse>>> ListDocuments(Guid id, CancellationToken ct)
    {
        var c = await Mediator.Send(new GetCase(id, "Dokumentenliste"), ct);
        return c.Documents.Select(d => new DocumentResponse(d.Id, d.Title, d.Kind, d.Date, d.ContentType, d.Size, d.UploadedAt)).ToList();
    }

    /// <summary>The bytes of a document, with its stored content type and <c>Content-Disposition: attachment</c> (written to the access log).</summary>
    [HttpGet("{id:guid}/documents/{documentId:guid}")]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, "application/pdf", "image/jpeg", "image/png", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.oasis.opendocument.text")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> DownloadDocument(Guid id, Guid documentId, CancellationToken ct) =>
        new DocumentFileResult(await Mediator.Send(new GetDocument(id, documentId), ct));

    /// <summary>Deletes a document with a reason (<c>{"reason"}</c>): the bytes are removed, the case's history keeps who, when and which title. Requires <c>If-Match</c>.</summary>
    [HttpDelete("{id:guid}/documents/{documentId:guid}")]
    [ProducesResponseType<CaseChangeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> DeleteDocument(Guid id, Guid documentId, DeleteDocumentRequest? request, CancellationToken ct) =>
        await Versioned(id, v => new DeleteDocument(id, v, documentId, request?.Reason), ct);
}
