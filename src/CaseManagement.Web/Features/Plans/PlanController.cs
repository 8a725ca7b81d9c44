using CaseManagement.Web.Features.Cases;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Printing = CaseManagement.Web.Features.Plans.Print;

namespace CaseManagement.Web.Features.Plans;

/// <summary>The Integrationsplan as a whole: printed and as a PDF for the client's signature, and the signature recorded.</summary>
[Route("faelle")]
public sealed class PlanController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    /// <summary>The Integrationsplan for printing on A4 with signature lines.</summary>
    [HttpGet("{id:guid}/druck")]
    public async Task<IActionResult> Print(Guid id, string? language, CancellationToken ct) =>
        await Mediator.Send(new GetCase(id, "Druck"), ct) is var plan && Printing.PlanPrint.Language(language, plan) is { } printed
            ? View(Printing.PlanPrintPage.View, await Printing.PlanPrint.Page(Mediator, plan, printed, Time.Today(Clock), ct))
            : BadRequest();

    /// <summary>The Integrationsplan as an A4 PDF (same document as <c>GET /api/v1/clients/{id}/plan.pdf</c>).</summary>
    [HttpGet("{id:guid}/plan.pdf")]
    public async Task<IActionResult> Pdf(Guid id, string? language, CancellationToken ct) =>
        await Mediator.Send(new GetCase(id, "PDF"), ct) is var plan && Printing.PlanPrint.Language(language, plan) is { } printed
            ? Printing.PlanDocument.Download(await Printing.PlanPrint.Page(Mediator, plan, printed, Time.Today(Clock), ct))
            : BadRequest();

    [HttpPost("{id:guid}/unterschrift")]
    public async Task<IActionResult> RecordSignature(Guid id, LifecycleForm form, DateOnly? signedOn, CancellationToken ct) =>
        await Change(id, new RecordPlanSignature(id, form.Version, Date(signedOn)), "Die Unterschrift unter dem Integrationsplan ist erfasst.", new CasePlace(CaseTab.Plan, "plan-title"), ct, form);
}
