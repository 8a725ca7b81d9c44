using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;
using NodaTime;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Plans;

public sealed class ReviewTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly LocalDate Today = new(2026, 11, 23);

    /// <summary>A case with two goals, the first one in progress (version 5).</summary>
    private static async Task<(Guid Id, Guid First, Guid Second)> CaseWithGoals(HttpClient client)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Fort",
            lastName = "Schreibung-" + Guid.NewGuid().ToString("N")[..8],
            birthDate = "1984-04-04",
            gender = "female",
            nationality = "ER",
            supportStart = "2026-01-01",
            housing = new { type = "FollowUpAccommodation", since = "2025-12-01" },
            residenceStatus = new { kind = "RefugeeProtection" },
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var first = (await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals", new { field = "Language", text = "B1 erreichen", agreedOn = "2026-02-01", targetDate = "2026-12-31" }, 2)).Body.GetProperty("goalId").GetGuid();
        var second = (await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals", new { field = "Housing", text = "Eigene Wohnung", agreedOn = "2026-02-01", targetDate = "2027-06-30" }, 3)).Body.GetProperty("goalId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{first}/status", new { status = "InProgress" }, 4)).Status);
        return (id, first, second);
    }

    [Fact]
    public async Task A_review_closes_one_goal_changes_another_and_sets_the_next_review()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var (id, first, second) = await CaseWithGoals(client);

        var reviewed = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/reviews", new
        {
            date = "2026-11-15",
            summary = "Sprachkurs bestanden, Wohnungssuche verlängert.",
            nextReview = "2027-05-15",
            goals = new object[]
            {
                new { goalId = first, outcome = "Close", closedAs = "Achieved" },
                new { goalId = second, outcome = "Change", newTargetDate = "2027-12-31" },
            },
        }, 5);

        Assert.Equal(HttpStatusCode.OK, reviewed.Status);
        var goals = reviewed.Body.GetProperty("goals").EnumerateArray().ToDictionary(g => g.GetProperty("id").GetGuid());
        Assert.Equal("Achieved", goals[first].GetProperty("status").GetString());
        Assert.Equal(("Agreed", "2027-12-31"), (goals[second].GetProperty("status").GetString(), goals[second].GetProperty("targetDate").GetString()));
        Assert.Equal(("2026-11-15", "2027-05-15"), (reviewed.Body.GetProperty("lastReviewOn").GetString(), reviewed.Body.GetProperty("nextReviewOn").GetString()));
    }

    [Fact]
    public async Task Invalid_reviews_are_refused_in_German_and_change_nothing()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var (id, first, second) = await CaseWithGoals(client);

        var agreedClosedAsAchieved = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/reviews", new
        {
            date = "2026-11-15", summary = "Test", goals = new object[] { new { goalId = second, outcome = "Close", closedAs = "Achieved" } },
        }, 5);
        Assert.Contains("Ein Ziel, an dem noch nicht gearbeitet wurde, kann nur aufgegeben werden.", agreedClosedAsAchieved.Body.ToString(), StringComparison.Ordinal);

        var changeWithoutChange = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/reviews", new
        {
            date = "2026-11-15", summary = "Test", goals = new object[] { new { goalId = first, outcome = "Change" } },
        }, 5);
        Assert.Contains("Beim Anpassen bitte einen neuen Text oder einen neuen Zieltermin angeben.", changeWithoutChange.Body.ToString(), StringComparison.Ordinal);

        var noSummary = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/reviews", new { date = "2026-11-15", summary = "" }, 5);
        Assert.Equal("Bitte die Fortschreibung zusammenfassen.", noSummary.Body.GetProperty("errors").GetProperty("summary")[0].GetString());

        Assert.Equal(5, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public void The_review_decision_guards_dates_duplicates_and_foreign_goals()
    {
        var goalId = Guid.NewGuid();
        var state = new ClientCase(Guid.NewGuid(), CaseStatus.Open, new Housing(HousingType.FollowUpAccommodation, Today), null,
            new ResidenceStatus(ResidenceKind.RefugeeProtection, null), "SY", Today.PlusYears(-1), EligibilityVerdict.Eligible, false, false, false,
            new Dictionary<Guid, GoalStatus> { [goalId] = GoalStatus.InProgress });
        var keep = new GoalReview(goalId, ReviewOutcome.Continue, null, null, null, null);

        Assert.Equal("Eine Fortschreibung kann nicht in der Zukunft liegen.",
            Assert.Throws<CaseRuleException>(() => Reviews.Review(state, Guid.NewGuid(), Today.PlusDays(1), "x", [keep], null, Today, Guid.Empty, default)).Message);
        Assert.Equal("Die nächste Fortschreibung muss nach dieser liegen.",
            Assert.Throws<CaseRuleException>(() => Reviews.Review(state, Guid.NewGuid(), Today, "x", [keep], Today, Today, Guid.Empty, default)).Message);
        Assert.Equal("Jedes Ziel kann in einer Fortschreibung nur einmal bewertet werden.",
            Assert.Throws<CaseRuleException>(() => Reviews.Review(state, Guid.NewGuid(), Today, "x", [keep, keep], null, Today, Guid.Empty, default)).Message);
        Assert.Equal("Bewertet werden können nur offene Ziele dieses Integrationsplans.",
            Assert.Throws<CaseRuleException>(() => Reviews.Review(state, Guid.NewGuid(), Today, "x", [keep with { GoalId = Guid.NewGuid() }], null, Today, Guid.Empty, default)).Message);
        var reviewed = Assert.IsType<PlanReviewed>(Assert.Single(Reviews.Review(state, Guid.NewGuid(), Today, "  gut  ", [keep], Today.PlusMonths(6), Today, Guid.Empty, default)));
        Assert.Equal("gut", reviewed.Summary);
    }

    [Fact]
    public async Task In_the_UI_a_review_is_recorded_per_goal_and_shown_on_the_case_page()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var (id, first, second) = await CaseWithGoals(api);
        using var session = await app.SignedInAs("im2@musterstadt.example");
        var page = $"/faelle/{id}";
        var shown = await session.GetPageAsync($"{page}/plan");
        var firstIndex = shown.QuerySelectorAll("form[action$='/fortschreibung'] input[name$='.GoalId']").Select(i => i.GetAttribute("value")).ToList().IndexOf(first.ToString());
        var secondIndex = 1 - firstIndex;

        var saved = await session.FollowAsync(await session.SubmitAsync(shown, $"{page}/fortschreibung", Fields(
            ("Version", "5"), ("Date", "2026-11-16"), ("Summary", "Gute Fortschritte"), ("NextReview", "2027-03-01"),
            ($"Goals[{firstIndex}].GoalId", first.ToString()), ($"Goals[{firstIndex}].Outcome", "Close"), ($"Goals[{firstIndex}].ClosedAs", "PartlyAchieved"),
            ($"Goals[{secondIndex}].GoalId", second.ToString()), ($"Goals[{secondIndex}].Outcome", "Change"), ($"Goals[{secondIndex}].NewText", "Eigene Wohnung in Musterstadt"))));

        Assert.Equal("1 Fortschreibung, zuletzt am 16.11.2026; nächste am 01.03.2027", System.Text.RegularExpressions.Regex.Replace(saved.QuerySelector("[data-testid=reviews]")!.TextContent, @"\s+", " ").Trim());
        var statuses = saved.QuerySelectorAll("[data-testid=goal]").ToDictionary(g => g.QuerySelector(".goal-text")!.TextContent, g => g.QuerySelector("[data-testid=goal-status]")!.TextContent);
        Assert.Equal("teilweise erreicht", statuses["B1 erreichen"]);
        Assert.Equal("vereinbart", statuses["Eigene Wohnung in Musterstadt"]);
    }
}
