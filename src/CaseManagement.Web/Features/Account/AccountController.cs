using System.ComponentModel.DataAnnotations;
using CaseManagement.Organisations;
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

/// <summary>Cookie sign-in for the web UI: password, optional TOTP second factor, sign-out.</summary>
[Route("konto")]
public sealed class AccountController(SignInManager<UserAccount> signInManager) : Controller
{
    public const string WrongCredentials = "E-Mail-Adresse oder Passwort ist falsch.";
    public const string LockedOut =
        "Ihr Konto ist nach mehreren Fehlversuchen vorübergehend gesperrt. Bitte versuchen Sie es in 15 Minuten erneut oder wenden Sie sich an Ihre Administration.";

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

        var result = await signInManager.PasswordSignInAsync(form.Email.Trim(), form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToAction(nameof(TwoFactor), new { returnUrl = SafeReturnUrl(form.ReturnUrl) });
        }

        ModelState.AddModelError("", result.IsLockedOut ? LockedOut : WrongCredentials);
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
        if (await signInManager.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return RedirectToAction(nameof(Login));
        }

        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var code = form.Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signInManager.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }

        ModelState.AddModelError(nameof(TwoFactorForm.Code), result.IsLockedOut ? LockedOut : "Der Code ist ungültig oder abgelaufen.");
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

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
