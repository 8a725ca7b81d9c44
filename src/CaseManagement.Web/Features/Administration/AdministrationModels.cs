using System.ComponentModel.DataAnnotations;
using CaseManagement.Common;
using CaseManagement.Organisations;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Riok.Mapperly.Abstractions;

namespace CaseManagement.Web.Features.Administration;

public sealed record UserListItem(Guid Id, string DisplayName, string Email, string RoleLabel, string? TeamName, string Status, bool TwoFactorEnabled);

public sealed record TeamListItem(Guid Id, string Name, int MemberCount, string Leads);

public sealed class UserForm
{
    public Guid? Id { get; set; }

    [Display(Name = "E-Mail-Adresse")]
    public string Email { get; set; } = "";

    [Display(Name = "Name")]
    public string DisplayName { get; set; } = "";

    [Display(Name = "Rolle")]
    public string Role { get; set; } = Roles.Manager;

    [Display(Name = "Team")]
    public Guid? TeamId { get; set; }

    [Display(Name = "Konto aktiv")]
    public bool IsActive { get; set; } = true;

    [Display(Name = "Anfangspasswort")]
    public string? Password { get; set; }

    public string ConcurrencyStamp { get; set; } = "";

    public bool IsLockedOut { get; set; }

    /// <summary>A data-protection officer's or the platform operator's account: the administration only looks at it.</summary>
    public bool IsProtected { get; set; }
}

public sealed class TeamForm
{
    public Guid? Id { get; set; }

    [Display(Name = "Teamname")]
    public string Name { get; set; } = "";
}

public sealed class PasswordForm
{
    [Display(Name = "Neues Passwort")]
    public string NewPassword { get; set; } = "";
}

public sealed record UserEditPage(UserForm Form, IReadOnlyList<TeamSummary> Teams);

public sealed record TeamsPage(IReadOnlyList<TeamListItem> Teams, TeamForm NewTeam);

/// <summary>
/// Read models to view models, generated at compile time by Mapperly: a view-model member that nothing maps
/// to is a build error (RMG012, .editorconfig); the form's password and concurrency stamp are left out on purpose.
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class AdministrationMapper
{
    [MapProperty(nameof(UserSummary.Role), nameof(UserListItem.RoleLabel), Use = nameof(RoleLabel))]
    [MapPropertyFromSource(nameof(UserListItem.Status), Use = nameof(Status))]
    public static partial UserListItem ToListItem(UserSummary user);

    public static partial IReadOnlyList<UserListItem> ToListItems(IReadOnlyList<UserSummary> users);

    [MapperIgnoreTarget(nameof(UserForm.Password))]
    [MapperIgnoreTarget(nameof(UserForm.ConcurrencyStamp))]
    public static partial UserForm ToForm(UserSummary user);

    [MapProperty(nameof(TeamSummary.Leads), nameof(TeamListItem.Leads), Use = nameof(Leads))]
    public static partial TeamListItem ToListItem(TeamSummary team);

    public static partial IReadOnlyList<TeamListItem> ToListItems(IReadOnlyList<TeamSummary> teams);

    [UserMapping(Default = false)]
    private static string RoleLabel(string role) => Roles.Label(role);

    [UserMapping(Default = false)]
    private static string Status(UserSummary user) => !user.IsActive ? "deaktiviert" : user.IsLockedOut ? "gesperrt" : "aktiv";

    [UserMapping(Default = false)]
    private static string Leads(IReadOnlyList<string> leads) => string.Join(", ", leads);
}

public static class ModelStateExtensions
{
    /// <summary>Shows a use case's German input errors next to their fields.</summary>
    public static void AddInputErrors(this ModelStateDictionary modelState, IEnumerable<InputError> errors)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var error in errors)
        {
            modelState.AddModelError(error.Field, error.Message);
        }
    }
}
