using CaseManagement.Documents;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Features.Cases;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Documents;

/// <summary>The upload form of the case page's section "Dokumente".</summary>
public sealed class DocumentForm : VersionedForm
{
    public IFormFile? File { get; set; }

    public string? Title { get; set; }

    public DocumentKind? Kind { get; set; }

    public DateOnly? Date { get; set; }
}

/// <summary>The confirmation page of a deletion: what happens, and the reason the user types.</summary>
public sealed class DeleteDocumentForm : VersionedForm
{
    public string? Reason { get; set; }
}

public sealed record DeleteDocumentPage(CaseSummary Case, DocumentView Document, DeleteDocumentForm Form);

/// <summary>The documents attached to a case: upload (on the case page), download, deletion with a reason.</summary>
[Route("faelle")]
public sealed class DocumentsController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/dokumente")]
    [RequestSizeLimit(DocumentFiles.MaxRequestBytes)]
    public async Task<IActionResult> Upload(Guid id, DocumentForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        await using var content = form.File?.OpenReadStream();
        var outcome = await Mediator.Send(new AttachDocument(id, null, form.Title, form.Kind, Date(form.Date), content, form.File?.Length ?? 0), ct);
        var confirmation = form.Kind == DocumentKind.SignedPlan
            ? "Das Dokument ist gespeichert; die Unterschrift des Plans ist mit seinem Datum eingetragen."
            : "Das Dokument ist gespeichert.";
        return await AfterChange(id, outcome.Succeeded ? Outcome<CaseChanged>.Success(new CaseChanged(id, outcome.Value!.Version)) : outcome.As<CaseChanged>(),
            confirmation, new CasePlace(CaseTab.Documents, "documents-title"), ct, form);
    }

    [HttpGet("{id:guid}/dokumente/{documentId:guid}")]
    public async Task<IActionResult> Download(Guid id, Guid documentId, CancellationToken ct) =>
        new DocumentFileResult(await Mediator.Send(new GetDocument(id, documentId), ct));

    [HttpGet("{id:guid}/dokumente/{documentId:guid}/loeschen")]
    public async Task<IActionResult> Delete(Guid id, Guid documentId, CancellationToken ct)
    {
        var c = await Mediator.Send(new GetCase(id), ct);
        return View(new DeleteDocumentPage(c, Find(c, documentId), new DeleteDocumentForm { Version = c.Version }));
    }

    [HttpPost("{id:guid}/dokumente/{documentId:guid}/loeschen")]
    public async Task<IActionResult> Delete(Guid id, Guid documentId, DeleteDocumentForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await Mediator.Send(new DeleteDocument(id, form.Version, documentId, form.Reason), ct);
        if (outcome.Succeeded)
        {
            return BackTo(id, "Das Dokument ist gelöscht; im Verlauf steht, wer es wann gelöscht hat.", new CasePlace(CaseTab.Documents, "documents-title"));
        }

        ModelState.AddInputErrors(outcome.Errors);
        var c = await Mediator.Send(new GetCase(id), ct);
        form.Version = c.Version;
        return View(new DeleteDocumentPage(c, Find(c, documentId), form));
    }

    private static DocumentView Find(CaseSummary c, Guid documentId) =>
        c.Documents.FirstOrDefault(d => d.Id == documentId) ?? throw new NotFoundException("Document");
}

/// <summary>A document's bytes as a download: its stored content type, <c>Content-Disposition: attachment</c>, streamed chunk by chunk.</summary>
public sealed class DocumentFileResult(DocumentDownload download) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.ContentType = download.Document.ContentType;
        response.ContentLength = download.Document.Size;
        response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = download.FileName,
        }.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        await download.CopyTo(response.Body, context.HttpContext.RequestAborted);
    }
}
