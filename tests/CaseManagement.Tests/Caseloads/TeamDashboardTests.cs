using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CaseManagement.Tests.Caseloads;

/// <summary>
/// The Team dashboard against a hand-built scenario with known answers: a reassigned, a closed, a reopened
/// case and events on the month boundaries. Only this class writes cases into its database.
/// </summary>
public sealed class TeamDashboardTests(TeamDashboardTests.Scenario scenario) : IClassFixture<TeamDashboardTests.Scenario>
{
    private AppFixture app => scenario.App;

    private Guid im1Id => scenario.Im1;

    private Guid im2Id => scenario.Im2;

    private Guid teamId => scenario.Team;

    private Dictionary<string, Guid> cases => scenario.Cases;

    private static Dictionary<string, int> Figures(JsonElement row) =>
        row.GetProperty("figures").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    [Fact]
    public async Task The_figures_per_manager_and_for_the_team_are_the_known_answers()
    {
        using var lead = await app.ClientFor("lead@musterstadt.example");
        var dashboard = await lead.GetFromJsonAsync<JsonElement>($"/api/v1/teams/{teamId}/dashboard");

        var rows = dashboard.GetProperty("managers").EnumerateArray().ToDictionary(r => r.GetProperty("managerId").GetGuid(), Figures);
        Assert.Equal(new Dictionary<string, int>
        {
            ["Active"] = 3, ["NewThisMonth"] = 1, ["ClosedThisMonth"] = 1, ["ConsultationsThisMonth"] = 1,
            ["ReviewsOverdue"] = 1, ["GoalsPastTarget"] = 1, ["SupportEndingSoon"] = 0, ["NoRecentContact"] = 2,
        }, rows[im1Id]);
        Assert.Equal(new Dictionary<string, int>
        {
            ["Active"] = 2, ["NewThisMonth"] = 0, ["ClosedThisMonth"] = 0, ["ConsultationsThisMonth"] = 2,
            ["ReviewsOverdue"] = 0, ["GoalsPastTarget"] = 0, ["SupportEndingSoon"] = 1, ["NoRecentContact"] = 0,
        }, rows[im2Id]);
        Assert.Equal(new Dictionary<string, int>
        {
            ["Active"] = 5, ["NewThisMonth"] = 1, ["ClosedThisMonth"] = 1, ["ConsultationsThisMonth"] = 3,
            ["ReviewsOverdue"] = 1, ["GoalsPastTarget"] = 1, ["SupportEndingSoon"] = 1, ["NoRecentContact"] = 2,
        }, Figures(dashboard.GetProperty("total")));

        var outcomes = dashboard.GetProperty("outcomes").EnumerateArray().ToDictionary(o => o.GetProperty("field").GetString()!);
        Assert.Equal((1, 1, 0), (outcomes["Language"].GetProperty("agreed").GetInt32(), outcomes["Language"].GetProperty("achieved").GetInt32(), outcomes["Language"].GetProperty("dropped").GetInt32()));
        Assert.Equal((1, 0, 1), (outcomes["LabourMarket"].GetProperty("agreed").GetInt32(), outcomes["LabourMarket"].GetProperty("achieved").GetInt32(), outcomes["LabourMarket"].GetProperty("dropped").GetInt32()));
        Assert.Equal(0, outcomes["Housing"].GetProperty("agreed").GetInt32());
    }

    [Fact]
    public async Task Every_number_on_the_page_links_to_exactly_the_cases_behind_it()
    {
        using var lead = await app.SignedInAs("lead@musterstadt.example");
        var page = await lead.GetPageAsync("/team");
        var row = page.QuerySelector($"[data-testid=dashboard] tr[data-manager='{im1Id}']")!;
        var link = row.QuerySelector("td[data-figure=NoRecentContact] a")!;
        Assert.Equal("2", link.TextContent);

        var list = await lead.GetPageAsync(link.GetAttribute("href")!);
        var listed = list.QuerySelectorAll("[data-testid=team-cases] tbody input[name=CaseIds]").Select(i => Guid.Parse(i.GetAttribute("value")!)).ToHashSet();
        Assert.Equal(new HashSet<Guid> { cases["B"], cases["F"] }, listed);
        Assert.Contains("ohne Kontakt", list.QuerySelector("[data-testid=figure-filter]")!.TextContent, StringComparison.Ordinal);

        var ending = await lead.GetPageAsync(page.QuerySelector("tr.total td[data-figure=SupportEndingSoon] a")!.GetAttribute("href")!);
        Assert.Equal([cases["G"]], ending.QuerySelectorAll("[data-testid=team-cases] tbody input[name=CaseIds]").Select(i => Guid.Parse(i.GetAttribute("value")!)));

        Assert.NotNull(page.QuerySelector("svg[data-testid=caseload-chart][role=img]"));
        Assert.Contains(page.QuerySelectorAll("[data-testid=outcomes] tbody tr"), r => r.TextContent.StartsWith("Spracherwerb", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("im1@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("dpo@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("admin@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("lead-sued@musterstadt.example", HttpStatusCode.NotFound)]
    [InlineData("im1@beispiel.example", HttpStatusCode.Forbidden)]
    public async Task Only_the_lead_of_the_team_gets_its_dashboard(string email, HttpStatusCode expected)
    {
        using var client = await app.ClientFor(email);
        using var response = await client.GetAsync($"/api/v1/teams/{teamId}/dashboard");
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>The scenario, built once for the class on its own database, with the clock at 20.03.2026.</summary>
    public sealed class Scenario(PostgresServer postgres) : IAsyncLifetime
    {
        private static readonly LocalDate Today = new(2026, 3, 20);

        public AppFixture App { get; } = new(postgres);

        public Guid Im1 { get; private set; }

        public Guid Im2 { get; private set; }

        public Guid Team { get; private set; }

        public Dictionary<string, Guid> Cases { get; } = [];

        private static async Task Do(HttpClient client, Guid id, string path, object body)
        {
            var version = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64();
            var (status, result) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/{path}", body, version);
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"{path}: {(int)status} {result}");
        }

        private static async Task<Guid> Goal(HttpClient client, Guid id, string field, string agreedOn, string target, string? nextReview = null)
        {
            var version = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64();
            var (_, body) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals", new { field, text = "Ziel " + field, agreedOn, targetDate = target, nextReview }, version);
            return body.GetProperty("goalId").GetGuid();
        }

        public async ValueTask InitializeAsync()
        {
            await App.InitializeAsync();
            var app = App;
            app.Factory.Clock.SetDay(Today);
            (Im1, Im2, Team) = await app.WithDb(async db => (
                await db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.Id).SingleAsync(),
                await db.Users.Where(u => u.Email == "im2@musterstadt.example").Select(u => u.Id).SingleAsync(),
                await db.Teams.Where(t => t.Name == "Nord").Select(t => t.Id).SingleAsync()));
            using var im1 = await app.ClientFor("im1@musterstadt.example");
            using var im2 = await app.ClientFor("im2@musterstadt.example");
            using var lead = await app.ClientFor("lead@musterstadt.example");

            Cases["A"] = await CaseApi.NewCase(im1, supportStart: "2026-03-01");
            await Do(im1, Cases["A"], "consultations", new { date = "2026-03-02", durationMinutes = 60, mode = "Office" });
            var language = await Goal(im1, Cases["A"], "Language", "2026-03-02", "2026-12-31");
            await Do(im1, Cases["A"], $"goals/{language}/status", new { status = "InProgress" });
            await Do(im1, Cases["A"], $"goals/{language}/status", new { status = "Achieved" });

            Cases["B"] = await CaseApi.NewCase(im1, supportStart: "2025-01-10");
            var late = await Goal(im1, Cases["B"], "Housing", "2025-02-01", "2026-01-31", "2026-03-01");
            await Do(im1, Cases["B"], $"goals/{late}/status", new { status = "InProgress" });

            Cases["C"] = await CaseApi.NewCase(im1, supportStart: "2025-05-01");
            await Do(im1, Cases["C"], "close", new { reason = "MovedAway", closedOn = "2026-03-01" });
            Cases["D"] = await CaseApi.NewCase(im1, supportStart: "2025-05-01");
            await Do(im1, Cases["D"], "close", new { reason = "GoalsReached", closedOn = "2026-02-28" });

            Cases["F"] = await CaseApi.NewCase(im1, supportStart: "2025-06-01");
            var dropped = await Goal(im1, Cases["F"], "LabourMarket", "2025-07-01", "2026-07-01");
            await Do(im1, Cases["F"], $"goals/{dropped}/status", new { status = "Dropped", reason = "Umzug geplant" });
            await Do(im1, Cases["F"], "close", new { reason = "ContactLost", closedOn = "2026-03-05" });
            await Do(im1, Cases["F"], "reopen", new { });

            Cases["E"] = await CaseApi.NewCase(im1, supportStart: "2025-09-01");
            await Do(im1, Cases["E"], "consultations", new { date = "2026-03-10", durationMinutes = 30, mode = "Phone" });
            using (var moved = await lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { Cases["E"] }, toManagerId = Im2 }))
            {
                Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            }

            Cases["G"] = await CaseApi.NewCase(im2, supportStart: "2023-05-01");
            await Do(im2, Cases["G"], "consultations", new { date = "2026-02-28", durationMinutes = 45, mode = "Video" });
            await Do(im2, Cases["G"], "consultations", new { date = "2026-03-01", durationMinutes = 45, mode = "HomeVisit" });
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
