using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using NodaTime;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Caseloads;

/// <summary>Vertretung: the lead grants a manager access to an absent colleague's caseload for a date range.</summary>
public sealed class DeputyTests(AppFixture app) : IClassFixture<AppFixture>, IDisposable
{
    private const string Lead = "lead@musterstadt.example";
    private static readonly LocalDate Monday = new(2026, 3, 23);

    private async Task<Guid> UserId(string email) => await app.WithDb(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));

    private static string Iso(LocalDate day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> Grant(WebSession lead, string deputy, string absent, LocalDate first, LocalDate last) =>
        await lead.PostFormAsync("/team", "/team/vertretungen", Fields(
            ("DeputyId", (await UserId(deputy)).ToString()), ("AbsentManagerId", (await UserId(absent)).ToString()), ("FirstDay", Iso(first)), ("LastDay", Iso(last))));

    public void Dispose() => app.Factory.Clock.Reset();

    /// <summary>Two fresh managers of team Nord (lead: lead@musterstadt.example), so that tests do not share grants.</summary>
    private async Task<(string Absent, string Deputy)> Pair(string absent, string deputy) =>
        ((await app.CreateManagerAsync(absent)).Email, (await app.CreateManagerAsync(deputy)).Email);

    [Fact]
    public async Task Access_starts_on_the_first_day_and_ends_after_the_last_by_itself()
    {
        app.Factory.Clock.SetDay(Monday);
        var (absent, deputy) = await Pair("Abwesend", "Vertretung");
        using var im1 = await app.ClientFor(absent);
        var id = await CaseApi.NewCase(im1, supportStart: "2026-02-01");
        using var lead = await app.SignedInAs(Lead);
        await AssertRedirectAsync(await Grant(lead, deputy, absent, Monday.PlusDays(2), Monday.PlusDays(4)));
        using var im2 = await app.ClientFor(deputy);

        var expected = new Dictionary<int, HttpStatusCode>
        {
            [0] = HttpStatusCode.NotFound, [1] = HttpStatusCode.NotFound, [2] = HttpStatusCode.OK, [4] = HttpStatusCode.OK, [5] = HttpStatusCode.NotFound,
        };
        foreach (var (offset, status) in expected)
        {
            app.Factory.Clock.SetDay(Monday.PlusDays(offset));
            using var response = await im2.GetAsync($"/api/v1/clients/{id}");
            Assert.True(status == response.StatusCode, $"day +{offset}: expected {status}, got {response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_deputy_sees_the_cases_under_In_Vertretung_works_on_them_and_the_case_shows_the_Vertretung()
    {
        app.Factory.Clock.SetDay(Monday);
        var (absent, deputy) = await Pair("Urlaub", "Kollegin");
        using var im1 = await app.ClientFor(absent);
        var id = await CaseApi.NewCase(im1, supportStart: "2026-02-01");
        using var lead = await app.SignedInAs(Lead);
        await AssertRedirectAsync(await Grant(lead, deputy, absent, Monday, Monday.PlusDays(10)));

        using var im2 = await app.SignedInAs(deputy);
        var list = await im2.GetPageAsync("/faelle");
        Assert.Contains(list.QuerySelectorAll("[data-testid=deputy-cases] a"), a => a.GetAttribute("href") == $"/faelle/{id}");
        var page = await im2.GetPageAsync($"/faelle/{id}");
        Assert.Equal("Sie bearbeiten diesen Fall in Vertretung für Test Urlaub bis einschließlich 02.04.2026.", page.QuerySelector("[data-testid=deputy]")!.TextContent.Trim());
        var saved = await im2.SubmitAsync(page, $"/faelle/{id}/kontakt", Fields(
            ("Version", page.QuerySelector($"form[action='/faelle/{id}/kontakt'] input[name=Version]")!.GetAttribute("value")!), ("City", "Musterstadt")));
        await AssertRedirectAsync(saved);

        using var owner = await app.SignedInAs(absent);
        var ownerView = await owner.GetPageAsync($"/faelle/{id}");
        Assert.Equal("Vertretung für Test Urlaub: Test Kollegin vom 23.03.2026 bis 02.04.2026.", ownerView.QuerySelector("[data-testid=deputy]")!.TextContent.Trim());
        var ownerHistory = await owner.GetPageAsync($"/faelle/{id}/verlauf");
        Assert.Equal("Kontaktdaten und Anschrift geändert", ownerHistory.QuerySelectorAll("[data-testid=timeline] tbody tr")[0].QuerySelectorAll("td")[2].TextContent);
        Assert.Equal("Test Kollegin", ownerHistory.QuerySelectorAll("[data-testid=timeline] tbody tr")[0].QuerySelectorAll("td")[1].TextContent);

        var team = await lead.GetPageAsync("/team");
        Assert.Contains("Test Kollegin", team.QuerySelector("[data-testid=deputies]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lead_ends_a_Vertretung_early_and_access_stops_at_once()
    {
        app.Factory.Clock.SetDay(Monday);
        var (absent, deputy) = await Pair("Krank", "Einspringer");
        using var im1 = await app.ClientFor(absent);
        var id = await CaseApi.NewCase(im1, supportStart: "2026-02-01");
        using var lead = await app.SignedInAs(Lead);
        await AssertRedirectAsync(await Grant(lead, deputy, absent, Monday, Monday.PlusDays(3)));
        using var im2 = await app.ClientFor(deputy);
        Assert.Equal(HttpStatusCode.OK, (await im2.GetAsync($"/api/v1/clients/{id}")).StatusCode);

        var team = await lead.GetPageAsync("/team");
        var end = team.QuerySelectorAll("[data-testid=deputies] tbody tr").Single(r => r.TextContent.Contains("Test Einspringer", StringComparison.Ordinal))
            .QuerySelector("form")!.GetAttribute("action")!;
        using var otherLead = await app.SignedInAs("lead-sued@musterstadt.example");
        Assert.Equal(HttpStatusCode.NotFound, (await otherLead.PostCraftedAsync("/team", end, [])).StatusCode);
        await AssertRedirectAsync(await lead.SubmitAsync(team, end, []));

        Assert.Equal(HttpStatusCode.NotFound, (await im2.GetAsync($"/api/v1/clients/{id}")).StatusCode);
        Assert.DoesNotContain("Test Einspringer", (await lead.GetPageAsync("/team")).QuerySelector("[data-testid=deputies]")?.TextContent ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_grants_are_refused_with_German_messages_and_only_leads_grant()
    {
        app.Factory.Clock.SetDay(Monday);
        using var lead = await app.SignedInAs(Lead);
        var before = await app.WithDb(db => Task.FromResult(db.DeputyGrants.Count()));

        var otherTeam = await ParseAsync(await Grant(lead, "im3@musterstadt.example", "im1@musterstadt.example", Monday, Monday.PlusDays(1)));
        Assert.StartsWith("Bitte als Vertretung eine aktive Integrationsmanagerin", otherTeam.QuerySelector("#deputy-person")!.ParentElement!.QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);

        var backwards = await ParseAsync(await Grant(lead, "im2@musterstadt.example", "im1@musterstadt.example", Monday.PlusDays(-1), Monday.PlusDays(-3)));
        Assert.Contains("Eine Vertretung kann nicht rückwirkend beginnen.", backwards.ErrorMessages());
        Assert.Contains(backwards.ErrorMessages(), m => m.StartsWith("Der letzte Tag muss am oder nach dem ersten liegen", StringComparison.Ordinal));

        var self = await ParseAsync(await Grant(lead, "im1@musterstadt.example", "im1@musterstadt.example", Monday, Monday));
        Assert.Contains("Niemand kann sich selbst vertreten.", self.ErrorMessages());
        Assert.Equal(before, await app.WithDb(db => Task.FromResult(db.DeputyGrants.Count())));

        using var manager = await app.SignedInAs("im1@musterstadt.example");
        using var denied = await manager.PostCraftedAsync("/faelle", "/team/vertretungen", Fields(("DeputyId", Guid.NewGuid().ToString())));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("http://localhost/konto/kein-zugriff", denied.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
