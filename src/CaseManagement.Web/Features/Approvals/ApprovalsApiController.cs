using System.Text.Json.Serialization;
using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Features.Cases;
using CaseManagement.Web.Features.Clients;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Approvals;

public sealed record ApprovalDecisionInput(
    [property: JsonConverter(typeof(CamelCaseEnumConverter<ApprovalDecision>))] ApprovalDecision? Decision, string? Comment);

/// <summary>The answer of a decision.</summary>
/// <param name="Id">The case (individual decision, extension of the support period) or the transfer that was decided on.</param>
/// <param name="Version">The case's new version (its ETag) after an individual decision or an extension; null for a transfer.</param>
/// <param name="ApprovalId">The request that was decided.</param>
/// <param name="Kind">What was decided.</param>
/// <param name="Accepted">true: approved; false: rejected.</param>
/// <param name="Cases">How many cases the decision concerned (a transfer: all of its cases).</param>
public sealed record ApprovalDecisionResponse(
    Guid Id, long? Version, Guid ApprovalId,
    ApprovalKind Kind, bool Accepted, int Cases);

/// <summary>Team leads: the approvals inbox (individual decisions, support extensions, transfers) and the decisions.</summary>
[Route("api/v1/approvals")]
public sealed class ApprovalsApiController(IMediator mediator) : CaseApiControllerBase(mediator)
{
    /// <summary>Team leads: requests of the own team's managers waiting for a decision, oldest first.</summary>
    [HttpGet("")]
    [ProducesResponseType<IReadOnlyList<PendingApproval>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    public async Task<IReadOnlyList<PendingApproval>> ListApprovals(CancellationToken ct) =>
        await Mediator.Send(new ListPendingApprovals(), ct);

    /// <summary>Team leads: approve or reject a request (<c>{"decision":"approve|reject","comment"}</c>); a rejection needs a comment. With
    /// <c>Prefer: return=representation</c> a decision on one case answers with the whole case file instead.</summary>
    [HttpPost("{approvalId:guid}/decision")]
    [OffersRepresentation]
    [ProducesResponseType<ApprovalDecisionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> DecideApproval(Guid approvalId, ApprovalDecisionInput request, CancellationToken ct)
    {
        var outcome = await Mediator.Send(new DecideApproval(approvalId, request?.Decision, request?.Comment), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var decided = outcome.Value!;
        var accepted = request?.Decision == ApprovalDecision.Approve;
        if (decided.Kind == ApprovalKind.Transfer)
        {
            return Ok(new ApprovalDecisionResponse(approvalId, null, approvalId, decided.Kind, accepted, decided.Cases));
        }

        if (WantsRepresentation())
        {
            return await Changed(decided.CaseId, Outcome<CaseChanged>.Success(new CaseChanged(decided.CaseId, decided.Version)), ct);
        }

        Response.Headers.ETag = ETag(decided.Version);
        return Ok(new ApprovalDecisionResponse(decided.CaseId, decided.Version, approvalId, decided.Kind, accepted, 1));
    }
}
