using System.Security.Claims;
using CaseManagement.Organisations;

namespace CaseManagement.Web.Infrastructure;

/// <summary>A link of the main navigation (German label; the layout localises it).</summary>
public sealed record NavigationItem(string Label, string Href);

/// <summary>What each role finds in the main navigation (DESIGN.md §1).</summary>
public static class NavigationMenu
{
    public static IReadOnlyList<NavigationItem> For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var items = new List<NavigationItem> { new("Start", "/") };
        if (user.IsInRole(Roles.Manager))
        {
            items.Add(new("Meine Fälle", "/faelle"));
            items.Add(new("Meine Termine", "/termine"));
            items.Add(new("Erinnerungen", "/erinnerungen"));
        }

        if (user.IsInRole(Roles.TeamLead))
        {
            items.Add(new("Team", "/team"));
            items.Add(new("Freigaben", "/freigaben"));
            items.Add(new("Förderbericht", "/berichte/foerderung"));
            items.Add(new("Wirkung", "/berichte/wirkung"));
            items.Add(new("Erinnerungen", "/erinnerungen"));
        }

        if (user.IsInRole(Roles.DataProtectionOfficer))
        {
            items.Add(new("Betroffene", "/datenschutz/betroffene"));
            items.Add(new("Zugriffsprotokoll", "/datenschutz/zugriffsprotokoll"));
            items.Add(new("Löschungen", "/datenschutz/loeschungen"));
            items.Add(new("Aufbewahrung", "/datenschutz/aufbewahrung"));
            items.Add(new("Rollen", "/datenschutz/rollen"));
        }

        if (user.IsInRole(Roles.Administrator))
        {
            items.Add(new("Benutzer:innen", "/verwaltung/benutzer"));
            items.Add(new("Teams", "/verwaltung/teams"));
            items.Add(new("Erinnerungsregeln", "/verwaltung/erinnerungen"));
            items.Add(new("Textbausteine", "/verwaltung/textbausteine"));
            items.Add(new("Angebote vor Ort", "/verwaltung/angebote"));
            items.Add(new("Hintergrundaufträge", "/verwaltung/hintergrundauftraege"));
            items.Add(new("Wirkung", "/berichte/wirkung"));
            items.Add(new("Landkreis", "/verwaltung/landkreis"));
        }

        if (user.IsInRole(Roles.DistrictCoordinator))
        {
            items.Add(new("Landkreis: Auswertung", "/landkreis/auswertung"));
            items.Add(new("Landkreis: Wirkung", "/landkreis/wirkung"));
        }

        if (user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.TeamLead))
        {
            items.Add(new("Import", "/importe"));
        }

        if (user.IsInRole(Roles.PlatformOperator))
        {
            items.Add(new("Hintergrundaufträge", "/hangfire"));
        }

        return items;
    }

    public static string RoleLabels(ClaimsPrincipal user) =>
        string.Join(", ", Roles.All.Append(Roles.PlatformOperator).Where(user.IsInRole).Select(Roles.Label));
}
