using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>An administrator creates an account in the own organisation with an initial password.</summary>
public sealed record CreateUser(string Email, string DisplayName, string Role, Guid? TeamId, string Password)
    : ICommand<Outcome<Guid>>;

public sealed class CreateUserHandler(AppDbContext db, UserManager<UserAccount> users, ICurrentUser currentUser)
    : ICommandHandler<CreateUser, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(CreateUser command, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireAdministratorOrganisation();
        var errors = await UserInput.Validate(db, organisationId, command.Email, command.DisplayName, command.Role, command.TeamId, cancellationToken);
        if (command.Role == Roles.DataProtectionOfficer)
        {
            errors.Add(new InputError(nameof(CreateUser.Role), SeparationOfDuties.OnlyDpoAppointsDpo));
        }

        if (string.IsNullOrEmpty(command.Password))
        {
            errors.Add(new InputError(nameof(CreateUser.Password), "Bitte ein Anfangspasswort vergeben."));
        }

        if (errors.Count > 0)
        {
            return Outcome<Guid>.Failure(errors);
        }

        var email = command.Email.Trim();
        var account = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = command.DisplayName.Trim(),
            OrganisationId = organisationId,
            TeamId = Roles.NeedsTeam(command.Role) ? command.TeamId : null,
        };

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(account, command.Password);
        if (!created.Succeeded)
        {
            return Outcome<Guid>.Failure(UserInput.FromIdentity(created, nameof(CreateUser.Password)));
        }

        var inRole = await users.AddToRoleAsync(account, command.Role);
        if (!inRole.Succeeded)
        {
            return Outcome<Guid>.Failure(UserInput.FromIdentity(inRole, nameof(CreateUser.Role)));
        }

        await tx.CommitAsync(cancellationToken);
        return Outcome<Guid>.Success(account.Id);
    }
}

internal static class UserInput
{
    /// <summary>The length of Identity's e-mail column.</summary>
    public const int MaxEmailLength = 256;

    /// <summary>The user with this id in the given organisation; another organisation's user is "not found".</summary>
    public static async Task<UserAccount> FindInOrganisation(AppDbContext db, Guid organisationId, Guid userId, CancellationToken ct) =>
        await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.OrganisationId == organisationId, ct)
        ?? throw new NotFoundException("User");

    public static async Task<List<InputError>> Validate(
        AppDbContext db, Guid organisationId, string? email, string? displayName, string? role, Guid? teamId, CancellationToken ct)
    {
        var errors = new List<InputError>();
        if (string.IsNullOrWhiteSpace(email) || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim())
        {
            errors.Add(new InputError("Email", "Bitte eine gültige E-Mail-Adresse angeben."));
        }
        else if (email.Trim().Length > MaxEmailLength)
        {
            errors.Add(new InputError("Email", $"Die E-Mail-Adresse darf höchstens {MaxEmailLength} Zeichen lang sein."));
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            errors.Add(new InputError("DisplayName", "Bitte den Namen angeben."));
        }
        else if (displayName.Trim().Length > 200)
        {
            errors.Add(new InputError("DisplayName", "Der Name darf höchstens 200 Zeichen lang sein."));
        }

        if (!Roles.IsKnown(role))
        {
            errors.Add(new InputError("Role", "Bitte eine Rolle auswählen."));
        }
        else if (Roles.NeedsTeam(role!))
        {
            var teamExists = teamId is { } id
                && await db.Teams.AnyAsync(t => t.Id == id && t.OrganisationId == organisationId, ct);
            if (!teamExists)
            {
                errors.Add(new InputError("TeamId", "Integrationsmanager:innen und Teamleitungen brauchen ein Team."));
            }
        }

        return errors;
    }

    public static IEnumerable<InputError> FromIdentity(IdentityResult result, string passwordField) =>
        result.Errors.Select(e => new InputError(
            e.Code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
            : e.Code is "DuplicateUserName" or "DuplicateEmail" or "InvalidEmail" or "InvalidUserName" ? "Email"
            : "",
            e.Description));
}
