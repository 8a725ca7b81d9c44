using Microsoft.AspNetCore.Identity;

namespace CaseManagement.Organisations;

/// <summary>A person who signs in. Belongs to exactly one organisation; managers and leads to a team.</summary>
public sealed class UserAccount : IdentityUser<Guid>
{
    public Guid OrganisationId { get; set; }

    public Guid? TeamId { get; set; }

    public string DisplayName { get; set; } = "";

    /// <summary>Deactivated accounts cannot sign in; they are kept because events name their authors.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>Wants the daily digest e-mail of due reminders (counts and a link only).</summary>
    public bool ReminderDigest { get; set; }
}

/// <summary>Claim types the application adds to every signed-in principal (cookie and bearer token).</summary>
public static class CaseManagementClaims
{
    public const string OrganisationId = "cm:org";
    public const string TeamId = "cm:team";
    public const string DisplayName = "cm:name";

    /// <summary>Id of the server-side session (<c>identity.user_sessions</c>) the cookie or token belongs to.</summary>
    public const string SessionId = "cm:sid";

    /// <summary>One per absent manager the user deputises for today (added per request, never stored).</summary>
    public const string DeputyFor = "cm:deputy-for";
}
