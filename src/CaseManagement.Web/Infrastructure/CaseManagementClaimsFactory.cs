using System.Security.Claims;
using CaseManagement.Organisations;
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

/// <summary>Deactivated accounts cannot sign in (password, two-factor or bearer token).</summary>
public sealed class CaseManagementSignInManager(
    UserManager<UserAccount> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<UserAccount> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<UserAccount>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<UserAccount> confirmation)
    : SignInManager<UserAccount>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(UserAccount user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsActive && await base.CanSignInAsync(user);
    }
}
