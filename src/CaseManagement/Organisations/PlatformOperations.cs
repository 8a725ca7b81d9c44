using CaseManagement.Storage;
using Microsoft.AspNetCore.Identity;

namespace CaseManagement.Organisations;

/// <summary>
/// What only the platform operator does, from the command line (operator verbs of the binary, no UI):
/// grant and revoke the platform-operator role, appoint and dismiss data-protection officers, set the
/// password of an account the organisation's administration may not touch. Role changes are audited with
/// no acting user (CaseManagementUserManager), i.e. as the platform operator.
/// </summary>
public sealed class PlatformOperations(AppDbContext db, UserManager<UserAccount> users)
{
    public const string NoSuchAccount = "Es gibt kein Konto mit dieser E-Mail-Adresse.";

    public async Task<IReadOnlyList<string>> GrantAsync(string email, string role, CancellationToken ct = default)
    {
        if (await users.FindByEmailAsync(email.Trim()) is not { } account)
        {
            return [NoSuchAccount];
        }

        switch (role)
        {
            case Roles.DataProtectionOfficer:
                return (await SeparationOfDuties.AppointAsync(db, users, account, ct)).Select(e => e.Message).ToList();
            case Roles.PlatformOperator:
                if (await users.IsInRoleAsync(account, role))
                {
                    return [Common.Messages.Accounts.AlreadyInRole];
                }

                return Messages(await users.AddToRoleAsync(account, role));
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "Only the platform operator and DPO roles are granted here.");
        }
    }

    public async Task<IReadOnlyList<string>> RevokeAsync(string email, string role)
    {
        if (await users.FindByEmailAsync(email.Trim()) is not { } account)
        {
            return [NoSuchAccount];
        }

        switch (role)
        {
            case Roles.DataProtectionOfficer:
                return (await SeparationOfDuties.DismissAsync(users, account)).Select(e => e.Message).ToList();
            case Roles.PlatformOperator:
                if (!await users.IsInRoleAsync(account, role))
                {
                    return [Common.Messages.Accounts.NotInRole];
                }

                return Messages(await users.RemoveFromRoleAsync(account, role));
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "Only the platform operator and DPO roles are revoked here.");
        }
    }

    /// <summary>A new password under the password policy; every session of the account ends.</summary>
    public async Task<IReadOnlyList<string>> SetPasswordAsync(string email, string password)
    {
        if (await users.FindByEmailAsync(email.Trim()) is not { } account)
        {
            return [NoSuchAccount];
        }

        var token = await users.GeneratePasswordResetTokenAsync(account);
        return Messages(await users.ResetPasswordAsync(account, token, password));
    }

    private static List<string> Messages(IdentityResult result) => result.Errors.Select(e => e.Description).ToList();
}
