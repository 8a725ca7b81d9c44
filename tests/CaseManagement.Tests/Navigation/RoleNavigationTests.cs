using System.Net;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Navigation;

public sealed class RoleNavigationTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static TheoryData<string, string[]> NavigationPerRole => new()
    {
        { "im1@musterstadt.example", ["Start", "Meine Fälle", "Meine Termine", "Erinnerungen"] },
        { "lead@musterstadt.example", ["Start", "Team", "Freigaben", "Förderbericht", "Wirkung", "Erinnerungen", "Import"] },
        { "dpo@musterstadt.example", ["Start", "Betroffene", "Zugriffsprotokoll", "Löschungen", "Aufbewahrung", "Rollen"] },
        { "admin@musterstadt.example", ["Start", "Benutzer:innen", "Teams", "Erinnerungsregeln", "Textbausteine", "Angebote vor Ort", "Hintergrundaufträge", "Wirkung", "Landkreis", "Import"] },
        { "koordination@beispiel.example", ["Start", "Landkreis: Auswertung", "Landkreis: Wirkung"] },
    };

    [Theory]
    [MemberData(nameof(NavigationPerRole))]
    public async Task Each_role_sees_exactly_its_own_navigation_in_German(string email, string[] expected)
    {
        using var session = await app.SignedInAs(email);

        var start = await session.GetPageAsync("/");

        Assert.Equal(expected, start.NavigationLabels());
        Assert.Equal("de", start.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Hauptnavigation", start.QuerySelector("nav.main-nav")!.GetAttribute("aria-label"));
        Assert.Equal("page", start.QuerySelector("nav.main-nav a[href='/']")!.GetAttribute("aria-current"));
    }

    public static TheoryData<string, string> ForbiddenPages => new()
    {
        { "im1@musterstadt.example", "/verwaltung/benutzer" },
        { "im1@musterstadt.example", "/team" },
        { "im1@musterstadt.example", "/datenschutz/betroffene" },
        { "im1@musterstadt.example", "/berichte/wirkung" },
        { "dpo@musterstadt.example", "/berichte/wirkung" },
        { "lead@musterstadt.example", "/verwaltung/teams" },
        { "lead@musterstadt.example", "/faelle" },
        { "dpo@musterstadt.example", "/faelle" },
        { "dpo@musterstadt.example", "/verwaltung/benutzer" },
        { "admin@musterstadt.example", "/faelle" },
        { "admin@musterstadt.example", "/datenschutz/zugriffsprotokoll" },
        { "admin@musterstadt.example", "/freigaben" },
        { "im1@musterstadt.example", "/verwaltung/textbausteine" },
        { "admin@musterstadt.example", "/profil/textbausteine" },
        { "dpo@musterstadt.example", "/profil/textbausteine/einfuegbar" },
        { "im1@musterstadt.example", "/verwaltung/angebote" },
        { "lead@musterstadt.example", "/verwaltung/plan-texte" },
        { "koordination@beispiel.example", "/faelle" },
        { "koordination@beispiel.example", "/berichte/wirkung" },
        { "koordination@beispiel.example", "/berichte/foerderung" },
        { "koordination@beispiel.example", "/verwaltung/landkreis" },
        { "koordination@beispiel.example", "/datenschutz/betroffene" },
        { "admin@musterstadt.example", "/landkreis/auswertung" },
        { "lead@musterstadt.example", "/landkreis/wirkung" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenPages))]
    public async Task A_role_cannot_open_the_pages_of_another_role(string email, string url)
    {
        using var session = await app.SignedInAs(email);

        using var response = await session.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/konto/kein-zugriff", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var denied = await session.GetAsync(response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("Kein Zugriff", (await WebSession.ParseAsync(denied)).Heading());
    }

    [Fact]
    public async Task Every_navigation_link_of_every_role_opens_a_page()
    {
        foreach (var email in new[] { "im1@musterstadt.example", "lead@musterstadt.example", "dpo@musterstadt.example", "admin@musterstadt.example", "koordination@beispiel.example" })
        {
            using var session = await app.SignedInAs(email);
            var start = await session.GetPageAsync("/");
            foreach (var href in start.QuerySelectorAll("nav.main-nav a").Select(a => a.GetAttribute("href")!))
            {
                var page = await session.GetPageAsync(href);
                Assert.False(string.IsNullOrWhiteSpace(page.Heading()), $"{href} for {email} has no heading");
            }
        }
    }

    [Fact]
    public async Task The_language_can_be_switched_to_English_and_back()
    {
        using var session = await app.SignedInAs("lead@musterstadt.example");

        var english = await session.FollowAsync(await session.PostFormAsync("/", "/sprache", WebSession.Fields(("culture", "en-GB"), ("returnUrl", "/"))));
        Assert.Equal(["Start", "Team", "Approvals", "Funding report", "Outcomes", "Reminders", "Import"], english.NavigationLabels());
        Assert.Equal("en", english.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Hello, Petra Schulz", english.Heading());

        var german = await session.FollowAsync(await session.PostFormAsync("/", "/sprache", WebSession.Fields(("culture", "de-DE"), ("returnUrl", "/"))));
        Assert.Equal(["Start", "Team", "Freigaben", "Förderbericht", "Wirkung", "Erinnerungen", "Import"], german.NavigationLabels());
    }

    [Fact]
    public async Task The_browser_language_alone_does_not_switch_away_from_German()
    {
        using var session = await app.SignedInAs("im1@musterstadt.example");
        session.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var start = await session.GetPageAsync("/");

        Assert.Contains("Meine Fälle", start.NavigationLabels());
    }

    [Fact]
    public async Task Unknown_pages_show_a_German_not_found_page()
    {
        using var session = await app.SignedInAs("im1@musterstadt.example");

        using var response = await session.GetAsync("/gibt-es-nicht");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Seite nicht gefunden", (await WebSession.ParseAsync(response)).Heading());
    }
}
