using System.ComponentModel.DataAnnotations;
using AutoMapper;
using CaseManagement.Common;
using CaseManagement.Organisations;
using Microsoft.AspNetCore.Mvc.ModelBinding;

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

/// <summary>Read models to view models — the only place AutoMapper is used.</summary>
public sealed class AdministrationProfile : Profile
{
    public AdministrationProfile()
    {
        CreateMap<UserSummary, UserListItem>()
            .ForCtorParam(nameof(UserListItem.RoleLabel), o => o.MapFrom(s => Roles.Label(s.Role)))
            .ForCtorParam(nameof(UserListItem.Status), o => o.MapFrom(s => !s.IsActive ? "deaktiviert" : s.IsLockedOut ? "gesperrt" : "aktiv"));
        CreateMap<UserSummary, UserForm>()
            .ForMember(f => f.Password, o => o.Ignore())
            .ForMember(f => f.ConcurrencyStamp, o => o.Ignore());
        CreateMap<TeamSummary, TeamListItem>()
            .ForCtorParam(nameof(TeamListItem.Leads), o => o.MapFrom(s => string.Join(", ", s.Leads)));
    }
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
