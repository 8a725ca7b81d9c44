namespace CaseManagement.Organisations;

/// <summary>
/// The four organisation roles of DESIGN.md §1, and the platform operator's role outside every organisation.
/// Names are stable identifiers; labels are what the UI shows.
/// </summary>
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

    /// <summary>
    /// Koordination (Landkreis) — in a district's organisation: sees only aggregated, suppressed figures of the district's
    /// member organisations (docs/district.md); never a case, a name of a client or a free text.
    /// </summary>
    public const string DistrictCoordinator = "DistrictCoordinator";

    /// <summary>
    /// Plattformbetrieb — runs the platform (job dashboard across all organisations). Not an organisation role:
    /// granted only by the operator verbs of the binary (<c>grant-operator</c>), never in the administration UI.
    /// </summary>
    public const string PlatformOperator = "PlatformOperator";

    /// <summary>The organisation roles; every user holds exactly one of them.</summary>
    public static readonly IReadOnlyList<string> All = [Manager, TeamLead, DataProtectionOfficer, Administrator, DistrictCoordinator];

    /// <summary>
    /// Roles an organisation's administrator may give (separation of duties: a data-protection officer is
    /// appointed by another one or by the platform operator; the operator role only from the command line).
    /// </summary>
    public static readonly IReadOnlyList<string> GrantableByAdministrator = [Manager, TeamLead, Administrator, DistrictCoordinator];

    /// <summary>Holders of these roles are managed outside the organisation's administration (no reset, no deactivation, no role change).</summary>
    public static bool IsProtected(string role) => role is DataProtectionOfficer or PlatformOperator;

    /// <summary>Roles whose holders belong to a team.</summary>
    public static bool NeedsTeam(string role) => role is Manager or TeamLead;

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);

    /// <summary>German UI label of a role.</summary>
    public static string Label(string role) => Labels.Find("Role", role) ?? role;
}
