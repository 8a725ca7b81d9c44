using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Cases;

public sealed class CaseAsOfTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_case_page_shows_the_case_as_it_was_on_a_past_day_by_the_dates_the_facts_took_effect()
    {
        var today = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(CaseManagement.Common.Time.Berlin).Date;
        string Iso(NodaTime.LocalDate day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string German(NodaTime.LocalDate day) => day.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);

        using var client = await app.ClientFor("im1@musterstadt.example");
        var supportStart = today.PlusDays(-60);
        using var created = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Zeit",
            lastName = "Reise",
            birthDate = "1990-01-01",
            gender = "female",
            nationality = "SY",
            supportStart = Iso(supportStart),
            housing = new { type = "FollowUpAccommodation", since = Iso(today.PlusDays(-90)) },
            residenceStatus = new { kind = "RefugeeProtection" },
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The client moved into private housing two weeks ago; the manager records it only today.
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{id}/housing") { Content = JsonContent.Create(new { type = "PrivateHousing", since = Iso(today.PlusDays(-14)) }) })
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
            using var recorded = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        }

        using var session = await app.SignedInAs("im1@musterstadt.example");
        var before = await session.GetPageAsync($"/faelle/{id}/stand?am={Iso(supportStart.PlusDays(-1))}");
        Assert.Equal("An diesem Tag gab es den Fall noch nicht.", before.QuerySelector(".notice")!.TextContent);

        // Three weeks ago: in the AU, in the target group — recorded only today (the intake), and said so.
        var then = await session.GetPageAsync($"/faelle/{id}/stand?am={Iso(today.PlusDays(-21))}");
        Assert.StartsWith($"Stand vom {German(today.PlusDays(-21))}", then.Title, StringComparison.Ordinal);
        Assert.Equal("Anschlussunterbringung (AU)", then.QuerySelector("[data-testid=as-of-housing]")!.TextContent);
        Assert.Equal("Zielgruppe", then.QuerySelector("[data-testid=as-of-verdict]")!.TextContent);
        Assert.Contains($"nachträglich erfasst am {German(today)}", then.QuerySelector("[data-testid=as-of-case-late]")!.TextContent, StringComparison.Ordinal);

        // A week ago: already in private housing (since the move), no longer in the target group, recorded later.
        var moved = await session.GetPageAsync($"/faelle/{id}/stand?am={Iso(today.PlusDays(-7))}");
        Assert.Equal("Privatwohnung", moved.QuerySelector("[data-testid=as-of-housing]")!.TextContent);
        Assert.Equal($"seit {German(today.PlusDays(-14))}", moved.QuerySelector("[data-testid=as-of-housing-since]")!.TextContent);
        Assert.Equal("nicht Zielgruppe", moved.QuerySelector("[data-testid=as-of-verdict]")!.TextContent);
        var housingHint = moved.QuerySelector("[data-testid=as-of-housing]")!.ParentElement!.QuerySelector("[data-testid=as-of-late]");
        Assert.Equal($"(nachträglich erfasst am {German(today)})", housingHint!.TextContent);

        // Today nothing is "recorded later".
        var now = await session.GetPageAsync($"/faelle/{id}/stand?am={Iso(today)}");
        Assert.Equal("Privatwohnung", now.QuerySelector("[data-testid=as-of-housing]")!.TextContent);
        Assert.Empty(now.QuerySelectorAll("[data-testid=as-of-late], [data-testid=as-of-case-late]"));

        using var colleague = await app.SignedInAs("im2@musterstadt.example");
        using var hidden = await colleague.GetAsync($"/faelle/{id}/stand?am={Iso(today.PlusDays(-7))}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }
}
