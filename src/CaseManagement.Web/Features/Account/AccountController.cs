using System.ComponentModel.DataAnnotations;
using CaseManagement.Organisations;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Account;

public sealed class LoginForm
{
    [Required(ErrorMessage = "Bitte die E-Mail-Adresse angeben.")]
    [Display(Name = "E-Mail-Adresse")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Bitte das Passwort angeben.")]
    [Display(Name = "Passwort")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

public sealed class TwoFactorForm
{
    [Required(ErrorMessage = "Bitte den sechsstelligen Code aus Ihrer Authenticator-App angeben.")]
    [Display(Name = "Code aus der Authenticator-App")]
    public string Code { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

/// <summary>
/// Cookie sign-in for the web UI: password, optional TOTP second factor, sign-out. Failed attempts are
/// throttled per account and address (429 with the German wait time), never locked.
/// </summary>
[Route("konto")]
public sealed class AccountController(SignInManager<UserAccount> signInManager, SignInThrottle throttle) : Controller
{
    public const string WrongCredentials = "E-Mail-Adresse oder Passwort ist falsch.";

    [HttpGet("anmelden")]
    [AllowAnonymous]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("anmelden")]
    [AllowAnonymous]
    public async Task<IActionResult> Login(LoginForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        using var gate = await throttle.EnterAsync(Credential.Password, form.Email.Trim(), HttpContext);
        if (gate.Wait is { } wait)
        {
            return TooManyAttempts(form, wait);
        }

        var result = await signInManager.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToAction(nameof(TwoFactor), new { returnUrl = SafeReturnUrl(form.ReturnUrl) });
        }

        gate.Failed();
        ModelState.AddModelError("", WrongCredentials);
        form.Password = "";
        return View(form);
    }

    [HttpGet("zweiter-faktor")]
    [AllowAnonymous]
    public async Task<IActionResult> TwoFactor(string? returnUrl) =>
        await signInManager.GetTwoFactorAuthenticationUserAsync() is null
            ? RedirectToAction(nameof(Login))
            : View(new TwoFactorForm { ReturnUrl = returnUrl });

    [HttpPost("zweiter-faktor")]
    [AllowAnonymous]
    public async Task<IActionResult> TwoFactor(TwoFactorForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await signInManager.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            return RedirectToAction(nameof(Login));
        }

        if (!ModelState.IsValid)
        {
            return View(form);
        }

        using var gate = await throttle.EnterAsync(Credential.Code, user.Email, HttpContext);
        if (gate.Wait is { } wait)
        {
            return TooManyAttempts(form, wait);
        }

        var result = await signInManager.TwoFactorAuthenticatorSignInAsync(TotpCode.Normalise(form.Code), isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }

        gate.Failed();
        ModelState.AddModelError(nameof(TwoFactorForm.Code), "Der Code ist ungültig oder abgelaufen.");
        form.Code = "";
        return View(form);
    }

    [HttpPost("abmelden")]
    [AllowAnonymous]
    public async Task<IActionResult> Logout()
    {
        await signInManager.SignOutAsync();
        return RedirectToAction(nameof(Login));
    }

    [HttpGet("kein-zugriff")]
    [AllowAnonymous]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    /// <summary>429 with <c>Retry-After</c>: the form again, with the German wait time and nothing checked.</summary>
    private ViewResult TooManyAttempts<TForm>(TForm form, TimeSpan wait)
    {
        SignInThrottle.MarkTooManyAttempts(Response, wait);
        ModelState.AddModelError("", SignInThrottle.Message(wait));
        return View(form);
    }

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
