using System.Security.Claims;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using Microsoft.AspNetCore.Authentication;
using NodaTime;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Adds, per request, whom a signed-in manager deputises for today: a Vertretung starts and ends by the
/// calendar (Europe/Berlin) without anyone signing in again.
/// </summary>
public sealed class DeputyClaims(AppDbContext db, IClock clock, Microsoft.Extensions.Caching.Memory.IMemoryCache cache) : IClaimsTransformation
{
    private const string Checked = "cm:deputy-checked";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true || !principal.IsInRole(Roles.Manager) || principal.HasClaim(c => c.Type == Checked)
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(CaseManagementClaims.OrganisationId), out var organisationId))
        {
            return principal;
        }

        var absent = await DeputyGrants.ActiveForCached(db, cache, organisationId, userId, CaseManagement.Common.Time.Today(clock), CancellationToken.None);
        var identity = new ClaimsIdentity([new Claim(Checked, "1"), .. absent.Select(a => new Claim(CaseManagementClaims.DeputyFor, a.ToString()))]);
        var transformed = principal.Clone();
        transformed.AddIdentity(identity);
        return transformed;
    }
}
