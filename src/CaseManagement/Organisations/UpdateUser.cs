using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>
/// An administrator changes name, role, team or the active flag of a user of the own organisation.
/// The form posts back the concurrency stamp it was rendered with; a stale edit changes nothing.
/// </summary>
public sealed record UpdateUser(Guid UserId, string DisplayName, string Role, Guid? TeamId, bool IsActive, string ConcurrencyStamp)
    : ICommand<Outcome<Guid>>;

public sealed class UpdateUserHandler(AppDbContext db, UserManager<UserAccount> users, ICurrentUser currentUser)
    : ICommandHandler<UpdateUser, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(UpdateUser command, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        var account = await UserInput.FindInOrganisation(db, organisationId, command.UserId, cancellationToken);

        if (account.ConcurrencyStamp != command.ConcurrencyStamp)
        {
            return Outcome<Guid>.Fail("", new GermanIdentityErrorDescriber().ConcurrencyFailure().Description);
        }

        var currentRoles = await users.GetRolesAsync(account);
        if (currentRoles.Any(Roles.IsProtected))
        {
            return Outcome<Guid>.Fail("", SeparationOfDuties.ProtectedAccount);
        }

        var errors = await UserInput.Validate(db, organisationId, account.Email, command.DisplayName, command.Role, command.TeamId, cancellationToken);
        if (command.Role == Roles.DataProtectionOfficer)
        {
            errors.Add(new InputError(nameof(UpdateUser.Role), SeparationOfDuties.OnlyDpoAppointsDpo));
        }

        if (account.Id == currentUser.UserId && (!command.IsActive || command.Role != Roles.Administrator))
        {
            errors.Add(new InputError("", "Sie können Ihr eigenes Konto weder deaktivieren noch sich selbst die Rolle Administrator:in entziehen."));
        }

        if (errors.Count > 0)
        {
            return Outcome<Guid>.Failure(errors);
        }

        var roleChanged = !currentRoles.SequenceEqual([command.Role]);
        var deactivated = account.IsActive && !command.IsActive;

        account.DisplayName = command.DisplayName.Trim();
        account.TeamId = Roles.NeedsTeam(command.Role) ? command.TeamId : null;
        account.IsActive = command.IsActive;

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (roleChanged)
        {
            var removed = await users.RemoveFromRolesAsync(account, currentRoles);
            var added = removed.Succeeded ? await users.AddToRoleAsync(account, command.Role) : removed;
            if (!added.Succeeded)
            {
                return Outcome<Guid>.Failure(UserInput.FromIdentity(added, ""));
            }
        }

        // A new security stamp ends every session of the user (CaseManagementUserManager) when access shrinks.
        var updated = roleChanged || deactivated
            ? await users.UpdateSecurityStampAsync(account)
            : await users.UpdateAsync(account);
        if (!updated.Succeeded)
        {
            return Outcome<Guid>.Failure(UserInput.FromIdentity(updated, ""));
        }

        await tx.CommitAsync(cancellationToken);
        return Outcome<Guid>.Success(account.Id);
    }
}

/// <summary>
/// An administrator sets a new password for a user of the own organisation (never for a data-protection
/// officer or the platform operator); every session of the user ends.
/// </summary>
public sealed record SetUserPassword(Guid UserId, string NewPassword) : ICommand<Outcome<Guid>>;

public sealed class SetUserPasswordHandler(AppDbContext db, UserManager<UserAccount> users, ICurrentUser currentUser)
    : ICommandHandler<SetUserPassword, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(SetUserPassword command, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        var account = await UserInput.FindInOrganisation(db, organisationId, command.UserId, cancellationToken);
        if (await SeparationOfDuties.IsProtectedAsync(users, account))
        {
            return Outcome<Guid>.Fail("", SeparationOfDuties.ProtectedAccount);
        }

        if (string.IsNullOrEmpty(command.NewPassword))
        {
            return Outcome<Guid>.Fail(nameof(SetUserPassword.NewPassword), "Bitte ein neues Passwort angeben.");
        }

        var token = await users.GeneratePasswordResetTokenAsync(account);
        var reset = await users.ResetPasswordAsync(account, token, command.NewPassword);
        if (!reset.Succeeded)
        {
            return Outcome<Guid>.Failure(UserInput.FromIdentity(reset, nameof(SetUserPassword.NewPassword)));
        }

        return Outcome<Guid>.Success(account.Id);
    }
}
