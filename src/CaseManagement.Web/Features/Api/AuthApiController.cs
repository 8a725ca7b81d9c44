using CaseManagement.SignIn;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

/// <summary>Credentials of an API client; <c>twoFactorCode</c> only when the account uses two-factor sign-in.</summary>
public sealed record LoginRequest(string Email, string Password, string? TwoFactorCode);

/// <summary>The refresh token of the last login or refresh answer.</summary>
public sealed record RefreshRequest(string RefreshToken);

/// <summary>
/// API sign-in: a server-side session per login; the access token (one hour) names it, the refresh token
/// (single use, rotating) renews it; logout ends it. Every request checks the session (SessionCheck).
/// </summary>
[Route("api/v1/auth")]
public sealed class AuthApiController(
    CaseManagementSignInManager signInManager,
    UserSessions sessions,
    ApiTokens tokens,
    SignInThrottle throttle) : ApiControllerBase
{
    /// <summary>
    /// Exchanges e-mail and password (and the authenticator code, when the account uses it) for an access
    /// token (<c>accessToken</c>, one hour) and a refresh token for <c>POST /api/v1/auth/refresh</c>.
    /// Too many failed attempts: 429 with <c>Retry-After</c>.
    /// </summary>
    [HttpPost("login")]
    [AllowAnonymous]
    [ProducesResponseType<AccessTokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests)]
    public async Task<IActionResult> Login(LoginRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = request.Email?.Trim() ?? "";
        using var gate = await throttle.EnterAsync(string.IsNullOrEmpty(request.TwoFactorCode) ? Credential.Password : Credential.Code, email, HttpContext);
        if (gate.Wait is { } wait)
        {
            return SignInThrottle.TooManyAttemptsProblem(HttpContext, wait);
        }

        var (user, result) = await signInManager.CheckCredentialsAsync(email, request.Password ?? "", request.TwoFactorCode);
        if (result.RequiresTwoFactor)
        {
            return Unauthorized("Zweiter Faktor erforderlich.", "Dieses Konto verwendet die Zwei-Faktor-Anmeldung: bitte twoFactorCode mitsenden.");
        }

        if (user is null)
        {
            gate.Failed();
            return Unauthorized("Anmeldung fehlgeschlagen.", Account.AccountController.WrongCredentials);
        }

        var (session, refreshToken) = await sessions.StartAsync(user, SessionKind.Api, HttpContext.RequestAborted);
        return Ok(await tokens.IssueAsync(user, session.Id, refreshToken!));
    }

    /// <summary>
    /// A new access token and a new refresh token for the refresh token of the last answer. Each refresh
    /// token works once: presenting an old one again ends the whole session (it was copied). Refused (401)
    /// as well after logout, a deactivation, a new password or a changed role, or 8 hours without refresh.
    /// </summary>
    [HttpPost("refresh")]
    [AllowAnonymous]
    [ProducesResponseType<AccessTokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized)]
    public async Task<IActionResult> RefreshToken(RefreshRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var refreshed = await sessions.RefreshAsync(request.RefreshToken, HttpContext.RequestAborted);
        return refreshed is null
            ? Unauthorized("Sitzung beendet.", "Das Refresh-Token ist ungültig, schon verwendet oder abgelaufen. Bitte melden Sie sich neu an.")
            : Ok(await tokens.IssueAsync(refreshed.User, refreshed.SessionId, refreshed.RefreshToken));
    }

    /// <summary>Ends the session of this access token: the access token and its refresh token stop working at once.</summary>
    [HttpPost("logout")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized)]
    public async Task<IActionResult> Logout()
    {
        if (SessionCheck.SessionId(User) is { } session)
        {
            await sessions.EndAsync(session, SessionEnd.SignedOut, HttpContext.RequestAborted);
        }

        return NoContent();
    }

    private ObjectResult Unauthorized(string title, string detail) =>
        Problem(title: title, detail: detail, statusCode: StatusCodes.Status401Unauthorized);
}
