using System.Security.Claims;
using CaseManagement.Organisations;
using CaseManagement.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Every request, cookie or bearer token alike, is checked against its server-side session
/// (<see cref="UserSessions.IsCurrentAsync"/>) inside the authentication handler itself, so that no later
/// step (an explicit scheme on a controller, the job dashboard) can see a principal whose session ended.
/// </summary>
public static class SessionCheck
{
    /// <summary>Cookie: a principal without a current session is rejected and the cookie deleted (pages then go to the sign-in page).</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await IsCurrentAsync(context.HttpContext, context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
        }
    }

    /// <summary>
    /// Bearer token: reads and checks the token here (expiry as the bearer handler checks it, by the
    /// authentication's TimeProvider; then the session) and hands the handler the result; a token whose
    /// session ended is a 401 at once.
    /// </summary>
    public static async Task AuthenticateBearerAsync(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return; // no token: the handler answers "no result" as usual
        }

        var ticket = context.Options.BearerTokenProtector.Unprotect(header["Bearer ".Length..].Trim());
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= now)
        {
            context.Fail("Das Token ist ungültig oder abgelaufen.");
            return;
        }

        if (!await IsCurrentAsync(context.HttpContext, ticket.Principal))
        {
            context.Fail("Die Sitzung ist beendet.");
            return;
        }

        context.Principal = ticket.Principal;
        context.Properties = ticket.Properties;
        context.Success();
    }

    /// <summary>The session id a principal carries (cookie or token), if any.</summary>
    public static Guid? SessionId(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(CaseManagementClaims.SessionId), out var id) ? id : null;

    private static async Task<bool> IsCurrentAsync(HttpContext context, ClaimsPrincipal? principal)
    {
        if (principal is null || SessionId(principal) is not { } sessionId
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }

        var services = context.RequestServices;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        return await services.GetRequiredService<UserSessions>()
            .IsCurrentAsync(sessionId, userId, principal.FindFirstValue(stampClaim), context.RequestAborted);
    }
}

/// <summary>The API's tokens: a bearer access token that names its session, and the session's refresh token.</summary>
public sealed class ApiTokens(
    IUserClaimsPrincipalFactory<UserAccount> principals,
    IOptionsMonitor<BearerTokenOptions> bearerOptions)
{
    public async Task<AccessTokenResponse> IssueAsync(UserAccount user, Guid sessionId, string refreshToken)
    {
        var principal = await principals.CreateAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(CaseManagementClaims.SessionId, sessionId.ToString()));
        var options = bearerOptions.Get(IdentityConstants.BearerScheme);
        // Issued and checked by the authentication's TimeProvider, like the framework's own bearer tokens.
        var properties = new AuthenticationProperties { ExpiresUtc = (options.TimeProvider ?? TimeProvider.System).GetUtcNow() + options.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(principal, properties, IdentityConstants.BearerScheme);
        return new AccessTokenResponse
        {
            AccessToken = options.BearerTokenProtector.Protect(ticket),
            ExpiresIn = (long)options.BearerTokenExpiration.TotalSeconds,
            RefreshToken = refreshToken,
        };
    }
}
