using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

/// <summary>What a problem <c>type</c> of this API means (its URI answers with this description).</summary>
public sealed record ProblemTypeDescription(string Type, string Description);

[Route("api/v1/problems")]
[Tags("Problems")]
public sealed class ProblemTypesController : ApiControllerBase
{
    /// <summary>The German description of a problem type (<c>validation</c>, <c>stale</c>, <c>refused</c>, …).</summary>
    [HttpGet("{name}")]
    [AllowAnonymous]
    [ProducesResponseType<ProblemTypeDescription>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public IActionResult DescribeProblemType(string name) =>
        ProblemTypes.Descriptions.TryGetValue(name, out var description)
            ? Ok(new ProblemTypeDescription(ProblemTypes.Base + name, description))
            : NotFound();
}
