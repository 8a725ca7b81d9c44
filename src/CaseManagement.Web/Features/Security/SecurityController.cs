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

/// <summary>Switching two-factor sign-in off needs the password or a current code: a left-open session alone is not enough.</summary>
public sealed class DisableTwoFactorForm
{
    [Required(ErrorMessage = "Bitte bestätigen Sie mit Ihrem Passwort oder dem aktuellen Code aus der Authenticator-App.")]
    [Display(Name = "Passwort oder aktueller Code")]
    public string Confirmation { get; set; } = "";
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

/// <summary>
/// The signed-in user's own security settings: TOTP two-factor and password change. A change of either
/// ends the user's other sessions (new security stamp); this browser gets a new session.
/// </summary>
[Route("konto/sicherheit")]
public sealed class SecurityController(UserManager<UserAccount> users, SignInManager<UserAccount> signInManager, SignInThrottle throttle) : Controller
{
    public const string WrongConfirmation = "Das Passwort oder der Code ist falsch.";

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
        await signInManager.RefreshSignInAsync(user); // the new key changed the security stamp
        return View("Index", await EnrolmentPage(user));
    }

    [HttpPost("authenticator/bestaetigen")]
    public async Task<IActionResult> ConfirmAuthenticator(ConfirmAuthenticatorForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await CurrentUser();
        if (!ModelState.IsValid
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, TotpCode.Normalise(form.Code)))
        {
            ModelState.AddModelError(nameof(form.Code), "Der Code ist ungültig. Bitte prüfen Sie die Uhrzeit Ihres Geräts und versuchen Sie es erneut.");
            return View("Index", await EnrolmentPage(user));
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await signInManager.RefreshSignInAsync(user);
        return this.Confirmed("Die Zwei-Faktor-Anmeldung ist jetzt aktiv.", nameof(Index));
    }

    [HttpPost("zwei-faktor-aus")]
    public async Task<IActionResult> DisableTwoFactor(DisableTwoFactorForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var user = await CurrentUser();
        if (!ModelState.IsValid)
        {
            return View("Index", new SecurityPage(user.TwoFactorEnabled, null, null, null));
        }

        using (var gate = await throttle.EnterAsync(Credential.Password, user.Email, HttpContext))
        {
            if (gate.Wait is { } wait)
            {
                SignInThrottle.MarkTooManyAttempts(Response, wait);
                ModelState.AddModelError(nameof(form.Confirmation), SignInThrottle.Message(wait));
                return View("Index", new SecurityPage(user.TwoFactorEnabled, null, null, null));
            }

            if (!await IsPasswordOrCurrentCode(user, form.Confirmation))
            {
                gate.Failed();
                ModelState.AddModelError(nameof(form.Confirmation), WrongConfirmation);
                return View("Index", new SecurityPage(user.TwoFactorEnabled, null, null, null));
            }
        }

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
        using var gate = await throttle.EnterAsync(Credential.Password, user.Email, HttpContext);
        if (gate.Wait is { } wait)
        {
            SignInThrottle.MarkTooManyAttempts(Response, wait);
            ModelState.AddModelError(nameof(form.CurrentPassword), SignInThrottle.Message(wait));
            return View(new ChangePasswordForm());
        }

        // Ends every session of the account (CaseManagementUserManager); this browser signs in anew below.
        var result = await users.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == "PasswordMismatch"))
            {
                gate.Failed();
            }

            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(form.CurrentPassword) : nameof(form.NewPassword), error.Description);
            }

            return View(new ChangePasswordForm());
        }

        await signInManager.RefreshSignInAsync(user);
        return this.Confirmed("Ihr Passwort wurde geändert.", nameof(Index));
    }

    /// <summary>The account's password, or a code of its authenticator app valid right now.</summary>
    private async Task<bool> IsPasswordOrCurrentCode(UserAccount user, string confirmation)
    {
        var code = TotpCode.Normalise(confirmation);
        return code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : await users.CheckPasswordAsync(user, confirmation);
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
