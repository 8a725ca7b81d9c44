using System.Security.Claims;
using CaseManagement.Organisations;
using CaseManagement.Tenancy;

namespace CaseManagement.Web.Infrastructure;

/// <summary>The signed-in user of the current request (cookie or bearer token).</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true && OrganisationId != Guid.Empty;

    public Guid UserId => ReadGuid(ClaimTypes.NameIdentifier) ?? Guid.Empty;

    public Guid OrganisationId => ReadGuid(CaseManagementClaims.OrganisationId) ?? Guid.Empty;

    public Guid? TeamId => ReadGuid(CaseManagementClaims.TeamId);

    public IReadOnlySet<Guid> DeputyFor =>
        Principal.FindAll(CaseManagementClaims.DeputyFor).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToHashSet();

    public bool IsInRole(string role) => Principal.IsInRole(role);

    private Guid? ReadGuid(string type) =>
        Guid.TryParse(Principal.FindFirstValue(type), out var value) ? value : null;
}
