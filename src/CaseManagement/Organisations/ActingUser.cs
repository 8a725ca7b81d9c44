using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Organisations;

/// <summary>
/// Lets work outside an HTTP request (demo seeding, tests) run the same use cases as a given user: the
/// scope gets that user's real claims principal (organisation, team, roles), exactly as a request would.
/// </summary>
public static class ActingUser
{
    /// <summary>The principal a sign-in of <paramref name="email"/> would produce, or null when there is no such user.</summary>
    public static async Task<ClaimsPrincipal?> PrincipalForAsync(this IServiceProvider scopedServices, string email)
    {
        ArgumentNullException.ThrowIfNull(scopedServices);
        var user = await scopedServices.GetRequiredService<UserManager<UserAccount>>().FindByEmailAsync(email);
        return user is null ? null : await scopedServices.GetRequiredService<IUserClaimsPrincipalFactory<UserAccount>>().CreateAsync(user);
    }

    /// <summary>
    /// Makes <paramref name="principal"/> the current user of the scope. Synchronous on purpose: the
    /// HttpContextAccessor keeps the context in an AsyncLocal, which an async method could not hand back.
    /// </summary>
    public static void ActAs(this IServiceProvider scopedServices, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(scopedServices);
        scopedServices.GetRequiredService<IHttpContextAccessor>().HttpContext =
            new DefaultHttpContext { User = principal, RequestServices = scopedServices };
    }
}
