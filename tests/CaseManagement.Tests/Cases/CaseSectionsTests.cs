using System.Net;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Cases;

/// <summary>The case page in sections: each on its own URL, a save goes back to its section and item, long lists paged.</summary>
public sealed class CaseSectionsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Owner = "im1@musterstadt.example";

    /// <summary>Every section of the case page: its URL part and the name of its tab.</summary>
    public static readonly (string Path, string Tab)[] Sections =
    [
        ("", "Überblick"), ("/plan", "Plan"), ("/beratungen", "Beratungen"), ("/termine", "Termine"), ("/erinnerungen", "Erinnerungen"),
        ("/dokumente", "Dokumente"), ("/verlauf", "Verlauf"), ("/datenschutz", "Datenschutz"),
    ];

    private static async Task<(Guid Id, Guid GoalId)> CaseWithGoalAndConsultations(HttpClient api, int consultations)
    {
        var id = await CaseApi.NewCase(api);
        var (status, goal) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/goals",
            new { field = "Language", text = "B1 erreichen", agreedOn = "2026-03-01", targetDate = "2027-03-01" }, 2);
        Assert.Equal(HttpStatusCode.Created, status);
        var version = goal.GetProperty("version").GetInt64();
        for (var i = 0; i < consultations; i++)
        {
            var (recorded, body) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/consultations",
                new { date = new DateOnly(2026, 3, 2).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), durationMinutes = 30, mode = "Office", note = $"Gespräch {i + 1}" }, version);
            Assert.Equal(HttpStatusCode.OK, recorded);
            version = body.GetProperty("version").GetInt64();
        }

        return (id, goal.GetProperty("goalId").GetGuid());
    }

    [Fact]
    public async Task Every_section_has_its_own_URL_with_the_header_the_tabs_and_only_its_own_content()
    {
        using var api = await app.ClientFor(Owner);
        var (id, _) = await CaseWithGoalAndConsultations(api, 1);
        using var session = await app.SignedInAs(Owner);
        var content = new Dictionary<string, string>
        {
            [""] = "[data-testid=verdict]", ["/plan"] = "[data-testid=goal]", ["/beratungen"] = "[data-testid=consultations]",
            ["/termine"] = "[data-testid=appointments]", ["/erinnerungen"] = "#reminders-title", ["/dokumente"] = "#documents-title",
            ["/verlauf"] = "[data-testid=timeline]", ["/datenschutz"] = "[data-testid=consent]",
        };

        foreach (var (path, tab) in Sections)
        {
            using var response = await session.GetAsync($"/faelle/{id}{path}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ParseAsync(response);
            Assert.StartsWith("Test Fall-", page.Heading(), StringComparison.Ordinal);
            Assert.NotEmpty(page.QuerySelector("[data-testid=case-number]")!.TextContent);
            Assert.NotEqual("–", page.QuerySelector("[data-testid=case-manager]")!.TextContent);
            Assert.NotEqual("–", page.QuerySelector("[data-testid=next-due]")!.TextContent.Trim());
            Assert.Equal(Sections.Select(s => (s.Tab, $"/faelle/{id}{s.Path}")),
                page.QuerySelectorAll(".case-tabs a").Select(a => (a.TextContent, a.GetAttribute("href")!)));
            Assert.Equal(tab, Assert.Single(page.QuerySelectorAll(".case-tabs a[aria-current=page]")).TextContent);
            foreach (var (other, selector) in content)
            {
                Assert.True((page.QuerySelector(selector) is not null) == (other == path), $"{path}: {selector}");
            }
        }
    }

    [Fact]
    public async Task Saving_a_goal_goes_back_to_the_goal_in_the_plan_highlighted_once_with_the_confirmation()
    {
        using var api = await app.ClientFor(Owner);
        var (id, goalId) = await CaseWithGoalAndConsultations(api, 0);
        using var session = await app.SignedInAs(Owner);
        var plan = await session.GetPageAsync($"/faelle/{id}/plan");

        var response = await session.SubmitAsync(plan, $"/faelle/{id}/ziele/{goalId}/status", Fields(("Version", "3"), ("Status", "InProgress")));

        await AssertRedirectAsync(response);
        Assert.Equal($"/faelle/{id}/plan#ziel-{goalId}", response.Headers.Location!.OriginalString);
        var shown = await session.FollowAsync(response);
        Assert.Equal("Der Stand des Ziels ist gespeichert.", shown.QuerySelector(".notice[role=status]")?.TextContent);
        Assert.Equal($"ziel-{goalId}", Assert.Single(shown.QuerySelectorAll(".just-saved")).Id);
        Assert.Equal("in Arbeit", shown.QuerySelector($"#ziel-{goalId} [data-testid=goal-status]")!.TextContent);
        var again = await session.GetPageAsync($"/faelle/{id}/plan");
        Assert.Empty(again.QuerySelectorAll(".just-saved"));
        Assert.Null(again.QuerySelector(".notice[role=status]"));

        // A goal that is finished moves into the collapsed list, open right after it was saved.
        var done = await session.SubmitAsync(again, $"/faelle/{id}/ziele/{goalId}/status", Fields(("Version", "4"), ("Status", "Achieved")));
        var closed = await session.FollowAsync(done);
        Assert.NotNull(closed.QuerySelector($"details.final-goals[open] #ziel-{goalId}.just-saved"));
        Assert.NotNull((await session.GetPageAsync($"/faelle/{id}/plan")).QuerySelector($"details.final-goals:not([open]) #ziel-{goalId}"));
    }

    [Fact]
    public async Task A_failed_save_shows_the_section_of_the_form_with_the_message_and_stores_nothing()
    {
        using var api = await app.ClientFor(Owner);
        var (id, _) = await CaseWithGoalAndConsultations(api, 0);
        using var session = await app.SignedInAs(Owner);

        var response = await session.PostFormAsync($"/faelle/{id}/beratungen", $"/faelle/{id}/kontakte", Fields(("Version", "3"), ("Date", "2026-03-02"), ("DurationMinutes", "4000")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Equal("Beratungen", page.QuerySelector(".case-tabs a[aria-current=page]")!.TextContent);
        Assert.NotEmpty(page.ErrorMessages());
        Assert.Contains("Noch keine Beratungskontakte erfasst.", page.QuerySelector("#consultations-title")!.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consultations_and_history_come_20_to_a_page_newest_first_with_plain_page_links()
    {
        using var api = await app.ClientFor(Owner);
        var (id, _) = await CaseWithGoalAndConsultations(api, 45);
        using var session = await app.SignedInAs(Owner);

        var first = await session.GetPageAsync($"/faelle/{id}/beratungen");
        var rows = first.QuerySelectorAll("[data-testid=consultations] tbody tr");
        Assert.Equal(20, rows.Length);
        Assert.Equal("15.04.2026", rows[0].QuerySelector("td")!.TextContent);
        Assert.StartsWith("45 Kontakte", first.QuerySelector("[data-testid=consultations] caption")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Seite 1 von 3 (45 Einträge)", first.QuerySelector("[data-testid=pager] p")!.TextContent);
        Assert.Equal($"/faelle/{id}/beratungen?page=2", first.QuerySelector("[data-testid=pager] [data-testid=more]")!.GetAttribute("href"));

        var last = await session.GetPageAsync($"/faelle/{id}/beratungen?page=3");
        Assert.Equal(["06.03.2026", "05.03.2026", "04.03.2026", "03.03.2026", "02.03.2026"], last.QuerySelectorAll("[data-testid=consultations] tbody tr td:first-child").Select(td => td.TextContent));
        Assert.Null(last.QuerySelector("[data-testid=pager] [data-testid=more]"));
        Assert.Equal("3", last.QuerySelector("[data-testid=pager] a[aria-current=page]")!.TextContent.Replace("Seite", "", StringComparison.Ordinal).Trim());

        // Page numbers from 1 (smaller read as 1), a page past the end is empty; nothing odd gives a 5xx.
        Assert.Equal(20, (await session.GetPageAsync($"/faelle/{id}/beratungen?page=-5")).QuerySelectorAll("[data-testid=consultations] tbody tr").Length);
        Assert.Empty((await session.GetPageAsync($"/faelle/{id}/beratungen?page=99")).QuerySelectorAll("[data-testid=consultations] tbody tr"));
        foreach (var odd in new[] { "abc", "2147483647", "99999999999", "%00" })
        {
            using var response = await session.GetAsync($"/faelle/{id}/verlauf?page={odd}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var history = await session.GetPageAsync($"/faelle/{id}/verlauf");
        Assert.Equal(20, history.QuerySelectorAll("[data-testid=timeline] tbody tr").Length);
        var pager = System.Text.RegularExpressions.Regex.Match(history.QuerySelector("[data-testid=pager] p")!.TextContent, @"^Seite 1 von (\d+) \((\d+) Einträge\)$");
        Assert.True(pager.Success);
        var (pages, total) = (int.Parse(pager.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(pager.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(total >= 46 && pages == (total + 19) / 20, $"{pages} pages, {total} entries");
        Assert.Equal(total - (20 * (pages - 1)), (await session.GetPageAsync($"/faelle/{id}/verlauf?page={pages}")).QuerySelectorAll("[data-testid=timeline] tbody tr").Length);
    }

    [Theory]
    [InlineData("im1@beispiel.example")]
    [InlineData("lead-sued@musterstadt.example")]
    [InlineData("im2@musterstadt.example")]
    public async Task Another_organisation_or_team_gets_404_on_every_section(string email)
    {
        using var api = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(api);
        using var other = await app.SignedInAs(email);

        foreach (var (path, _) in Sections)
        {
            using var response = await other.GetAsync($"/faelle/{id}{path}");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{email} {path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task An_administrator_gets_no_section_of_a_case()
    {
        using var api = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(api);
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        using var overview = await admin.GetAsync($"/faelle/{id}");
        Assert.True(overview.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Redirect or HttpStatusCode.Found, $"{(int)overview.StatusCode}");

        foreach (var (path, _) in Sections)
        {
            using var response = await admin.GetAsync($"/faelle/{id}{path}");
            Assert.Equal(overview.StatusCode, response.StatusCode);
            Assert.DoesNotContain("Fall-", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
