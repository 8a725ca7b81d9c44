using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

/// <summary>
/// JSON API under <c>/api/v1</c>: bearer tokens only (no cookies, hence no CSRF surface), errors as
/// RFC 9457 ProblemDetails in German.
/// </summary>
[ApiController]
[Authorize(AuthenticationSchemes = BearerScheme)]
[IgnoreAntiforgeryToken]
public abstract class ApiControllerBase : ControllerBase
{
    /// <summary>Identity's bearer scheme (<c>IdentityConstants.BearerScheme</c>, not a constant there).</summary>
    public const string BearerScheme = "Identity.Bearer";
}
