namespace CaseManagement.Organisations;

/// <summary>The four roles of DESIGN.md §1. Names are stable identifiers; labels are what the UI shows.</summary>
public static class Roles
{
    /// <summary>Integrationsmanager:in — counsels clients and writes their Integrationspläne.</summary>
    public const string Manager = "Manager";

    /// <summary>Teamleitung — reviews caseloads, approves exceptions, files the funding report.</summary>
    public const string TeamLead = "TeamLead";

    /// <summary>Roles that work on case files (the manager, and the lead for the own team's cases).</summary>
    public const string CaseWorkers = Manager + "," + TeamLead;

    /// <summary>Datenschutzbeauftragte:r — answers data-subject requests (DSGVO Art. 15–18).</summary>
    public const string DataProtectionOfficer = "DataProtectionOfficer";

    /// <summary>Administrator:in — manages users and teams of one organisation; never reads case content.</summary>
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [Manager, TeamLead, DataProtectionOfficer, Administrator];

    /// <summary>Roles whose holders belong to a team.</summary>
    public static bool NeedsTeam(string role) => role is Manager or TeamLead;

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    /// <summary>German UI label of a role.</summary>
    public static string Label(string role) => role switch
    {
        Manager => "Integrationsmanager:in",
        TeamLead => "Teamleitung",
        DataProtectionOfficer => "Datenschutzbeauftragte:r",
        Administrator => "Administrator:in",
        _ => role,
    };
}
