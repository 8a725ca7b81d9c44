using CaseManagement.SignIn;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaseManagement.Organisations;

public enum RoleChangeKind
{
    Granted,
    Revoked,
}

/// <summary>
/// One grant or revocation of a role (table <c>identity.role_changes</c>; ids only). The organisation's
/// data-protection officers read the list. <see cref="ChangedBy"/> is null when the platform operator
/// changed it with an operator verb of the binary (or demo data was seeded).
/// </summary>
public sealed class RoleChange
{
    public long Id { get; init; }

    public Guid OrganisationId { get; init; }

    public Guid UserId { get; init; }

    public required string Role { get; init; }

    public RoleChangeKind Change { get; init; }

    public Guid? ChangedBy { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>
/// Identity's user manager with the two rules that must hold wherever an account changes:
/// every role change is written to the audit trail, and every change of the security stamp (role, password,
/// deactivation) ends all sessions of the account.
/// </summary>
public sealed class CaseManagementUserManager(
    IUserStore<UserAccount> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<UserAccount> passwordHasher,
    IEnumerable<IUserValidator<UserAccount>> userValidators,
    IEnumerable<IPasswordValidator<UserAccount>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<UserAccount>> logger,
    AppDbContext db,
    UserSessions sessions,
    ICurrentUser currentUser,
    IClock clock)
    : UserManager<UserAccount>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> AddToRoleAsync(UserAccount user, string role) =>
        await Audited(user, [role], RoleChangeKind.Granted, await base.AddToRoleAsync(user, role));

    public override async Task<IdentityResult> AddToRolesAsync(UserAccount user, IEnumerable<string> roles)
    {
        var list = roles.ToList();
        return await Audited(user, list, RoleChangeKind.Granted, await base.AddToRolesAsync(user, list));
    }

    public override async Task<IdentityResult> RemoveFromRoleAsync(UserAccount user, string role) =>
        await Audited(user, [role], RoleChangeKind.Revoked, await base.RemoveFromRoleAsync(user, role));

    public override async Task<IdentityResult> RemoveFromRolesAsync(UserAccount user, IEnumerable<string> roles)
    {
        var list = roles.ToList();
        return await Audited(user, list, RoleChangeKind.Revoked, await base.RemoveFromRolesAsync(user, list));
    }

    public override async Task<IdentityResult> UpdateSecurityStampAsync(UserAccount user) =>
        await EndingSessions(user, await base.UpdateSecurityStampAsync(user));

    public override async Task<IdentityResult> ResetPasswordAsync(UserAccount user, string token, string newPassword) =>
        await EndingSessions(user, await base.ResetPasswordAsync(user, token, newPassword));

    public override async Task<IdentityResult> ChangePasswordAsync(UserAccount user, string currentPassword, string newPassword) =>
        await EndingSessions(user, await base.ChangePasswordAsync(user, currentPassword, newPassword));

    private async Task<IdentityResult> Audited(UserAccount user, List<string> roles, RoleChangeKind change, IdentityResult result)
    {
        if (!result.Succeeded || roles.Count == 0)
        {
            return result;
        }

        var at = clock.GetCurrentInstant().ToDateTimeOffset();
        var by = currentUser.IsAuthenticated ? currentUser.UserId : (Guid?)null;
        db.RoleChanges.AddRange(roles.Select(role => new RoleChange
        {
            OrganisationId = user.OrganisationId,
            UserId = user.Id,
            Role = role,
            Change = change,
            ChangedBy = by,
            At = at,
        }));
        await db.SaveChangesAsync(CancellationToken);
        return await UpdateSecurityStampAsync(user);
    }

    private async Task<IdentityResult> EndingSessions(UserAccount user, IdentityResult result)
    {
        if (result.Succeeded)
        {
            await sessions.EndAllAsync(user.Id, SessionEnd.AccountChanged, CancellationToken);
        }

        return result;
    }
}
