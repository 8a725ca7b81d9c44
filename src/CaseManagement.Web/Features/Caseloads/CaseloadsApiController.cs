using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Caseloads;

public sealed record ReassignInput(IReadOnlyList<Guid>? CaseIds, Guid? ToManagerId, string? Note);

/// <summary>Cases moved within the team at once, or handed to another team's lead for acceptance (transferId).</summary>
public sealed record ReassignedResponse(int Reassigned, int TransferRequested, Guid? TransferId);

/// <summary>Team leads: the team's caseload — the dashboard and the reassignment of cases.</summary>
public sealed class CaseloadsApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>
    /// Team leads: move cases of the own team to another active manager (<c>{"caseIds":[…],"toManagerId","note"}</c>) —
    /// of the own team at once, of another team as a transfer request that team's lead accepts in the approvals;
    /// all or none; 412 when a case changed meanwhile.
    /// </summary>
    [HttpPost("/api/v1/clients/reassign")]
    [ProducesResponseType<ReassignedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ReassignCases(ReassignInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new ReassignCases(request?.CaseIds, request?.ToManagerId, request?.Note), ct);
        return outcome.Succeeded
            ? Ok(new ReassignedResponse(outcome.Value!.Reassigned, outcome.Value.TransferRequested, outcome.Value.TransferId))
            : OutcomeProblem(outcome);
    }

    /// <summary>Team leads: the dashboard figures per manager and for the team, and goal outcomes per field of action (last 12 months).</summary>
    [HttpGet("/api/v1/teams/{teamId:guid}/dashboard")]
    [ProducesResponseType<TeamDashboardView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<TeamDashboardView> GetTeamDashboard(Guid teamId, CancellationToken ct) => await mediator.Send(new GetTeamDashboard(teamId), ct);
}
