using System.Text.Json.Serialization;
using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Features.Cases;
using CaseManagement.Web.Features.Clients;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Approvals;

public sealed record ApprovalDecisionInput(
    [property: JsonConverter(typeof(CamelCaseEnumConverter<ApprovalDecision>))] ApprovalDecision? Decision, string? Comment);

public sealed record TransferDecisionResponse(Guid TransferId, bool Accepted, int Cases);

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

    /// <summary>Team leads: approve or reject a request (<c>{"decision":"approve|reject","comment"}</c>); returns the case.</summary>
    [HttpPost("{approvalId:guid}/decision")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> DecideApproval(Guid approvalId, ApprovalDecisionInput request, CancellationToken ct)
    {
        var outcome = await Mediator.Send(new DecideApproval(approvalId, request?.Decision, request?.Comment), ct);
        if (outcome.Value is { Kind: ApprovalKind.Transfer } transfer)
        {
            return Ok(new TransferDecisionResponse(approvalId, request?.Decision == ApprovalDecision.Approve, transfer.Cases));
        }

        return outcome.Succeeded
            ? await Changed(outcome.Value!.CaseId, Outcome<CaseChanged>.Success(new CaseChanged(outcome.Value.CaseId, outcome.Value.Version)), ct)
            : OutcomeProblem(outcome);
    }
}
