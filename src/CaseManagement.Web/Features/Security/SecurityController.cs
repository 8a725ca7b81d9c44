using CaseManagement.Web.Infrastructure;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using CaseManagement.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Security;

public sealed record SecurityPage(bool TwoFactorEnabled, string? SharedKey, string? AuthenticatorUri, string? Message);

public sealed class ConfirmAuthenticatorForm
{
    [Required(ErrorMessage = "Bitte den Code aus der Authenticator-App angeben.")]
    [Display(Name = "Code aus der Authenticator-App")]
    public string Code { get; set; } = "";
}

public sealed class ChangePasswordForm
{
    [Required(ErrorMessage = "Bitte das bisherige Passwort angeben.")]
    [Display(Name = "Bisheriges Passwort")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Bitte ein neues Passwort angeben.")]
    [Display(Name = "Neues Passwort")]
    public string NewPassword { get; set; } = "";

    [Compare(nameof(NewPassword), ErrorMessage = "Die beiden neuen Passwörter stimmen nicht überein.")]
    [Display(Name = "Neues Passwort wiederholen")]
    public string ConfirmPassword { get; set; } = "";
}

/// <summary>The signed-in user's own security settings: TOTP two-factor and password change.</summary>
[Route("konto/sicherheit")]
public sealed class SecurityController(UserManager<UserAccount> users, SignInManager<UserAccount> signInManager) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var user = await CurrentUser();
        return View(new SecurityPage(user.TwoFactorEnabled, null, null, this.Confirmation()));
    }

    /// <summary>Starts enrolment: a fresh shared key the user types or scans into the authenticator app.</summary>
    [HttpPost("authenticator")]
    public async Task<IActionResult> StartAuthenticator()
    {
        var user = await CurrentUser();
        await users.ResetAuthenticatorKeyAsync(user);
        return View("Index", await EnrolmentPage(user));
    }

    [HttpPost("authenticator/bestaetigen")]
    public async Task<IActionResult> ConfirmAuthenticator(ConfirmAuthenticatorForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await CurrentUser();
        var code = form.Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!ModelState.IsValid
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(form.Code), "Der Code ist ungültig. Bitte prüfen Sie die Uhrzeit Ihres Geräts und versuchen Sie es erneut.");
            return View("Index", await EnrolmentPage(user));
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await signInManager.RefreshSignInAsync(user);
        return this.Confirmed("Die Zwei-Faktor-Anmeldung ist jetzt aktiv.", nameof(Index));
    }

    [HttpPost("zwei-faktor-aus")]
    public async Task<IActionResult> DisableTwoFactor()
    {
        var user = await CurrentUser();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signInManager.RefreshSignInAsync(user);
        return this.Confirmed("Die Zwei-Faktor-Anmeldung ist ausgeschaltet.", nameof(Index));
    }

    [HttpGet("passwort")]
    public IActionResult ChangePassword() => View(new ChangePasswordForm());

    [HttpPost("passwort")]
    public async Task<IActionResult> ChangePassword(ChangePasswordForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var user = await CurrentUser();
        var result = await users.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(form.CurrentPassword) : nameof(form.NewPassword), error.Description);
            }

            return View(new ChangePasswordForm());
        }

        await signInManager.RefreshSignInAsync(user);
        return this.Confirmed("Ihr Passwort wurde geändert.", nameof(Index));
    }

    private async Task<UserAccount> CurrentUser() =>
        await users.GetUserAsync(User) ?? throw new UnauthorizedAccessException("Signed-in user not found.");

    private async Task<SecurityPage> EnrolmentPage(UserAccount user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        var issuer = Uri.EscapeDataString("CaseManagement");
        var account = Uri.EscapeDataString(user.Email ?? user.Id.ToString());
        var uri = string.Create(CultureInfo.InvariantCulture, $"otpauth://totp/{issuer}:{account}?secret={key}&issuer={issuer}&digits=6");
        return new SecurityPage(user.TwoFactorEnabled, Group(key), uri, null);
    }

    private static string Group(string key)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return grouped.ToString().TrimEnd().ToLowerInvariant();
    }
}
