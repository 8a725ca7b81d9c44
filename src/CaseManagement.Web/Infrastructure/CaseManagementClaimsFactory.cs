using System.Security.Claims;
using CaseManagement.Organisations;
using CaseManagement.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CaseManagement.Web.Infrastructure;

/// <summary>Adds organisation, team and display name to the principal of cookies and bearer tokens.</summary>
public sealed class CaseManagementClaimsFactory(
    UserManager<UserAccount> userManager,
    RoleManager<IdentityRole<Guid>> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<UserAccount, IdentityRole<Guid>>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(CaseManagementClaims.OrganisationId, user.OrganisationId.ToString()));
        identity.AddClaim(new Claim(CaseManagementClaims.DisplayName, user.DisplayName));
        if (user.TeamId is { } teamId)
        {
            identity.AddClaim(new Claim(CaseManagementClaims.TeamId, teamId.ToString()));
        }

        return identity;
    }
}

/// <summary>
/// Sign-in with the application's rules: deactivated accounts cannot sign in; unknown, deactivated and known
/// accounts cost the same work (a password hash is checked for each), so neither the answer nor its time tells
/// whether an address has an account; no lockout (the <see cref="SignInThrottle"/> slows guessing instead);
/// every browser sign-in starts a server-side session and signing out ends it.
/// </summary>
public sealed class CaseManagementSignInManager(
    UserManager<UserAccount> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<UserAccount> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<UserAccount>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<UserAccount> confirmation,
    UserSessions sessions)
    : SignInManager<UserAccount>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>A hash of a random password, made with the application's hasher (same cost as a real one).</summary>
    private static string? dummyHash;

    public override async Task<bool> CanSignInAsync(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsActive && await base.CanSignInAsync(user);
    }

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure) =>
        await FindForSignInAsync(userName, password) is { } user
            ? await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: false)
            : SignInResult.Failed;

    /// <summary>
    /// The API's check: password and, when the account uses it, the authenticator code, without signing in.
    /// <c>RequiresTwoFactor</c> when the password is right but no code came along.
    /// </summary>
    public async Task<(UserAccount? User, SignInResult Result)> CheckCredentialsAsync(string email, string password, string? code)
    {
        if (await FindForSignInAsync(email, password) is not { } user)
        {
            return (null, SignInResult.Failed);
        }

        var result = await CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (!result.Succeeded || !await UserManager.GetTwoFactorEnabledAsync(user))
        {
            return (result.Succeeded ? user : null, result);
        }

        if (string.IsNullOrEmpty(code))
        {
            return (null, SignInResult.TwoFactorRequired);
        }

        return await UserManager.VerifyTwoFactorTokenAsync(user, Options.Tokens.AuthenticatorTokenProvider, TotpCode.Normalise(code))
            ? (user, SignInResult.Success)
            : (null, SignInResult.Failed);
    }

    /// <summary>Every browser sign-in (password, second factor, renewal) gets a new session; the browser's previous one ends.</summary>
    public override async Task SignInWithClaimsAsync(UserAccount user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (SessionCheck.SessionId(Context.User) is { } previous)
        {
            await sessions.EndAsync(previous, SessionEnd.Replaced);
        }

        var (session, _) = await sessions.StartAsync(user, SessionKind.Browser);
        await base.SignInWithClaimsAsync(user, authenticationProperties,
            additionalClaims.Append(new Claim(CaseManagementClaims.SessionId, session.Id.ToString())));
    }

    /// <summary>Signing out ends the session on the server: a copy of the cookie is worthless afterwards.</summary>
    public override async Task SignOutAsync()
    {
        if (SessionCheck.SessionId(Context.User) is { } current)
        {
            await sessions.EndAsync(current, SessionEnd.SignedOut);
        }

        await base.SignOutAsync();
    }

    /// <summary>The account that may sign in with this address, or null after the same hashing work as a real check.</summary>
    private async Task<UserAccount?> FindForSignInAsync(string email, string password)
    {
        var user = string.IsNullOrEmpty(email) ? null : await UserManager.FindByNameAsync(email);
        if (user is not null && await CanSignInAsync(user))
        {
            return user;
        }

        var hasher = UserManager.PasswordHasher;
        dummyHash ??= hasher.HashPassword(new UserAccount(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        hasher.VerifyHashedPassword(user ?? new UserAccount(), dummyHash, password ?? "");
        return null;
    }
}

/// <summary>Codes of the authenticator app as typed: spaces and dashes are ignored.</summary>
public static class TotpCode
{
    public static string Normalise(string? code) =>
        (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
}
