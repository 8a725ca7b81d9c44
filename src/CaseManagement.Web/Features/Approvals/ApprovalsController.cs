using CaseManagement.Web.Infrastructure;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Approvals;

/// <summary>The form of one decision; kept as typed when it fails.</summary>
public sealed class DecisionForm
{
    public Guid ApprovalId { get; set; }

    public ApprovalDecision? Decision { get; set; }

    public string? Comment { get; set; }
}

public sealed record ApprovalsPage(IReadOnlyList<PendingApproval> Pending, string? Message, DecisionForm? Submitted);

/// <summary>Freigaben: the team lead's inbox of individual decisions and support-period extensions.</summary>
[Authorize(Roles = Roles.TeamLead)]
[Route("freigaben")]
public sealed class ApprovalsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await Page(this.Confirmation(), null, ct));

    [HttpPost("{approvalId:guid}")]
    public async Task<IActionResult> Decide(Guid approvalId, DecisionForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        form.ApprovalId = approvalId;
        var outcome = await mediator.Send(new DecideApproval(approvalId, form.Decision, form.Comment), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed(form.Decision == ApprovalDecision.Approve ? "Der Antrag ist genehmigt." : "Der Antrag ist abgelehnt.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(null, form, ct));
    }

    private async Task<ApprovalsPage> Page(string? message, DecisionForm? submitted, CancellationToken ct) =>
        new(await mediator.Send(new ListPendingApprovals(), ct), message, submitted);
}
