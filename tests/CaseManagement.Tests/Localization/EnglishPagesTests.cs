using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using CaseManagement.Tests.Hardening;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Tests.Localization;

/// <summary>
/// Issue 17 item 7, "English, really": each role signs in, chooses English and opens every page (GET) it can reach —
/// enumerated from the application's actions (<see cref="RouteCatalogue"/>), so a new page is covered without a new
/// test — with real ids from the seeded data. No visible text may contain a common German word or letter; names and
/// free texts of the seed data, the language switch and text marked as another language (<c>lang="de"</c>, <c>lang="tr"</c> …: content in that language) do not count.
/// </summary>
public sealed partial class EnglishPagesTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    private static readonly string[] Roles = ["im1@musterstadt.example", "lead@musterstadt.example", "admin@musterstadt.example", "dpo@musterstadt.example"];

    /// <summary>Free texts of the demo cases that the pages show as they were entered (content, not interface).</summary>
    private static readonly string[] SeedTexts =
    [
        "Anmeldung beim Integrationskursträger", "Sprachkurs läuft, Ziel bleibt.", "Längerer Aufenthalt bei Verwandten", "Mehrsprachig, zuverlässig",
        "Sozialversicherungspflichtige Beschäftigung im Einzelhandel", "Deutsch auf B1 mit Zertifikat (DTZ)", "Erfahrung im Verkauf",
        "Gute Integrationsprognose", "Sprachkurs B1 begonnen, Ausbildungsplatz in Aussicht.", "Integrationsplan besprochen", "Mittlerer Abschluss",
        "Bahnhofstraße", "Deutsch B1", "Kurs suchen",

        // A place name, and the letters a short name may have (the text templates' rule names them).
        "Baden-Württemberg", "ä, ö, ü, ß",
    ];

    [Fact]
    public async Task Every_page_of_every_role_reads_English_without_common_German_words()
    {
        using var anonymous = app.Factory.CreateClient();
        var catalogue = await RouteCatalogue.ReadAsync(app.Factory.Services, anonymous);
        var pages = catalogue.Pages.Where(p => p.Method == "GET").ToList();
        var ids = await IdsAsync();
        var ignored = await IgnoredTextsAsync();

        var failures = new List<string>();
        foreach (var email in Roles)
        {
            using var session = await app.SignedInAs(email);
            var english = await session.FollowAsync(await session.PostFormAsync("/", "/sprache", WebSession.Fields(("culture", "en-GB"), ("returnUrl", "/"))));
            Assert.Equal("en", english.DocumentElement.GetAttribute("lang"));

            var checkedPages = 0;
            foreach (var page in pages)
            {
                var unknown = page.RouteNames.Where(name => Id(page.Template, name, ids) is null).ToList();
                if (unknown.Count > 0)
                {
                    continue;
                }

                var path = page.Path(name => Id(page.Template, name, ids)!);
                using var response = await session.GetAsync(path);
                if (response.Content.Headers.ContentType?.MediaType != "text/html")
                {
                    continue;
                }

                var document = await WebSession.ParseAsync(response);
                checkedPages++;
                foreach (var word in GermanIn(document, ignored))
                {
                    failures.Add($"{email} {path} ({(int)response.StatusCode}): {word}");
                }
            }

            output.WriteLine($"{email}: {checkedPages} pages checked in English");
            Assert.True(checkedPages >= 4, $"{email} reached only {checkedPages} pages; the test would prove little.");
        }

        Assert.True(failures.Count == 0, $"German in English pages ({failures.Count}):\n{string.Join("\n", failures.Distinct().Take(150))}");
    }

    [Fact]
    public async Task A_validation_problem_of_the_API_answers_in_English_when_asked_and_in_German_by_default()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var invalid = new { firstName = "", lastName = "", birthDate = "1990-09-09", gender = "unknown", supportStart = "2026-02-01", housing = new { type = "FollowUpAccommodation", since = "2026-01-15" }, residenceStatus = new { kind = "RefugeeProtection" } };

        using var englishRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients") { Content = JsonContent.Create(invalid) };
        englishRequest.Headers.AcceptLanguage.ParseAdd("en");
        using var englishResponse = await api.SendAsync(englishRequest);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, englishResponse.StatusCode);
        var english = await englishResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The input is incomplete or invalid.", english.GetProperty("title").GetString());
        Assert.Equal("Nothing was saved.", english.GetProperty("detail").GetString());
        var messages = english.GetProperty("errors").EnumerateObject().SelectMany(f => f.Value.EnumerateArray().Select(m => m.GetString()!)).ToList();
        Assert.NotEmpty(messages);
        Assert.Contains("Please enter the first name.", messages);
        Assert.All(messages, m => Assert.DoesNotMatch(GermanWords(), m));

        using var germanResponse = await api.PostAsJsonAsync("/api/v1/clients", invalid);
        var german = await germanResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Die Eingaben sind unvollständig oder ungültig.", german.GetProperty("title").GetString());
        Assert.Contains(german.GetProperty("errors").EnumerateObject().SelectMany(f => f.Value.EnumerateArray().Select(m => m.GetString()!)), m => m == "Bitte den Vornamen angeben.");
    }

    [Fact]
    public async Task A_form_message_of_the_domain_is_shown_in_English_next_to_its_field()
    {
        using var session = await app.SignedInAs("im1@musterstadt.example");
        await session.FollowAsync(await session.PostFormAsync("/", "/sprache", WebSession.Fields(("culture", "en-GB"), ("returnUrl", "/"))));
        var intake = await session.GetPageAsync("/faelle/neu");
        var fields = WebSession.FormFields(intake, "/faelle/neu").Where(f => f.Key is not "FirstName" and not "LastName").Append(new("FirstName", "")).Append(new("LastName", ""));

        using var response = await session.SubmitAsync(intake, "/faelle/neu", fields);
        var page = await WebSession.ParseAsync(response);

        Assert.Contains("Please enter the first name.", page.ErrorMessages());
    }


    /// <summary>Ids of the seeded data the pages' routes take.</summary>
    private async Task<Dictionary<string, string>> IdsAsync()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        var user = await app.WithDb(db => db.Users.SingleAsync(u => u.Email == "im1@musterstadt.example"));
        var reminder = await app.WithDb(db => db.Database.SqlQuery<Guid>($"select id as \"Value\" from cases.reminders limit 1").ToListAsync());
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["case"] = caseId.ToString(),
            ["user"] = user.Id.ToString(),
            ["team"] = user.TeamId?.ToString() ?? "",
        };
        if (reminder.Count > 0)
        {
            ids["reminder"] = reminder[0].ToString();
        }

        return ids;
    }

    private static string? Id(string template, string name, Dictionary<string, string> ids) => name.ToLowerInvariant() switch
    {
        "caseid" or "clientid" => ids["case"],
        "teamid" => ids["team"],
        "id" when template.Contains("/betroffene/", StringComparison.Ordinal) => ids["case"],
        "id" when template.Contains("/benutzer/", StringComparison.Ordinal) => ids["user"],
        "id" when template.Contains("/teams/", StringComparison.Ordinal) => ids["team"],
        "id" when template.Contains("erinnerungen/", StringComparison.Ordinal) => ids.GetValueOrDefault("reminder"),
        _ => null,
    };

    /// <summary>Names of people, teams and organisations and the seed's free texts: content in any language.</summary>
    private async Task<List<string>> IgnoredTextsAsync()
    {
        var users = await app.WithDb(db => db.Users.Select(u => u.DisplayName).ToListAsync());
        var teams = await app.WithDb(db => db.Teams.Select(t => t.Name).ToListAsync());
        var organisations = await app.WithDb(db => db.Organisations.Select(o => o.Name).ToListAsync());
        return [.. users.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!), .. teams, .. organisations, .. SeedTexts];
    }

    /// <summary>The common German words and letters in the page's visible text.</summary>
    private static IEnumerable<string> GermanIn(IDocument document, List<string> ignored)
    {
        foreach (var hidden in document.QuerySelectorAll("script, style, datalist, form[action='/sprache'], [lang]:not(html):not([lang^='en'])").ToList())
        {
            hidden.Remove();
        }

        // The test's own cases are named "Fall-1a2b3c4d" (CaseApi.NewCase).
        var text = Regex.Replace(Regex.Replace(document.Body?.TextContent ?? "", @"\s+", " "), "Fall-[0-9a-f]{8}", " ");
        foreach (var content in ignored.Where(i => i.Length > 1).OrderByDescending(i => i.Length))
        {
            text = text.Replace(content, " ", StringComparison.Ordinal);
        }

        return GermanWords().Matches(text).Select(m => $"„{m.Value}“ in …{Around(text, m.Index)}…").Distinct();
    }

    private static string Around(string text, int index)
    {
        var start = Math.Max(0, index - 40);
        return text[start..Math.Min(text.Length, index + 40)];
    }

    /// <summary>Common German words (whole words) and the letters ä, ö, ü, ß.</summary>
    [GeneratedRegex(@"\b(und|oder|nicht|bitte|Bitte|Fall|Fälle|Ziel|Ziele|Speichern|Zurück|zurück|Erinnerung|Erinnerungen|Beratung|Termin|Termine|keine|Keine|für|mit|der|die|das|des|ist|sind|wird|werden|am|bis|von|zum|zur)\b|[äöüßÄÖÜ]", RegexOptions.CultureInvariant)]
    private static partial Regex GermanWords();
}
