using CaseManagement.Web.Features.Cases;
using CaseManagement.Web.Features.Clients.Pdf;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Plans;

public sealed record CasePrintPage(CaseSummary Case, LocalDate Today);

/// <summary>The Integrationsplan as a whole: printed and as a PDF for the client's signature, and the signature recorded.</summary>
[Route("faelle")]
public sealed class PlanController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    /// <summary>The Integrationsplan for printing on A4 with signature lines.</summary>
    [HttpGet("{id:guid}/druck")]
    public async Task<IActionResult> Print(Guid id, CancellationToken ct) =>
        View(new CasePrintPage(await Mediator.Send(new GetCase(id, "Druck"), ct), Time.Today(Clock)));

    /// <summary>The Integrationsplan as an A4 PDF (same document as <c>GET /api/v1/clients/{id}/plan.pdf</c>).</summary>
    [HttpGet("{id:guid}/plan.pdf")]
    public async Task<IActionResult> Pdf(Guid id, CancellationToken ct) =>
        PlanPdf.Download(await Mediator.Send(new GetCase(id, "PDF"), ct), Time.Today(Clock));

    [HttpPost("{id:guid}/unterschrift")]
    public async Task<IActionResult> RecordSignature(Guid id, LifecycleForm form, DateOnly? signedOn, CancellationToken ct) =>
        await Change(id, new RecordPlanSignature(id, form.Version, Date(signedOn)), "Die Unterschrift unter dem Integrationsplan ist erfasst.", ct, form);
}
