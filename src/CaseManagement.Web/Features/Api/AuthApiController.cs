using CaseManagement.Organisations;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

/// <summary>Credentials of an API client; <c>twoFactorCode</c> only when the account uses two-factor sign-in.</summary>
public sealed record LoginRequest(string Email, string Password, string? TwoFactorCode);

[Route("api/v1/auth")]
public sealed class AuthApiController(SignInManager<UserAccount> signInManager) : ApiControllerBase
{
    /// <summary>Exchanges e-mail and password for a bearer token (<c>accessToken</c>, valid one hour).</summary>
    [HttpPost("login")]
    [AllowAnonymous]
    [ProducesResponseType<AccessTokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized)]
    public async Task<IActionResult> Login(LoginRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        signInManager.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signInManager.PasswordSignInAsync(request.Email?.Trim() ?? "", request.Password ?? "", isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            if (string.IsNullOrEmpty(request.TwoFactorCode))
            {
                return Unauthorized("Zweiter Faktor erforderlich.", "Dieses Konto verwendet die Zwei-Faktor-Anmeldung: bitte twoFactorCode mitsenden.");
            }

            result = await signInManager.TwoFactorAuthenticatorSignInAsync(request.TwoFactorCode, isPersistent: false, rememberClient: false);
        }

        if (result.Succeeded)
        {
            // The bearer handler has written the token response.
            return new EmptyResult();
        }

        return result.IsLockedOut
            ? Unauthorized("Konto vorübergehend gesperrt.", Account.AccountController.LockedOut)
            : Unauthorized("Anmeldung fehlgeschlagen.", Account.AccountController.WrongCredentials);
    }

    private ObjectResult Unauthorized(string title, string detail) =>
        Problem(title: title, detail: detail, statusCode: StatusCodes.Status401Unauthorized);
}
