using CaseManagement.Organisations;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

[Route("api/v1/me")]
[Tags("Auth")]
public sealed class MeApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>The signed-in user: name, roles, organisation and team.</summary>
    [HttpGet("")]
    [ProducesResponseType<MyProfile>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized)]
    public async Task<MyProfile> GetMe(CancellationToken ct) => await mediator.Send(new GetMyProfile(), ct);
}
