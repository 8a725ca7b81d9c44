using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Npgsql;

namespace CaseManagement.Tests.Cases;

public sealed class CaseAsOfTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_case_page_shows_the_plan_as_it_was_on_a_past_day()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        using var created = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Zeit",
            lastName = "Reise",
            birthDate = "1990-01-01",
            gender = "female",
            nationality = "SY",
            supportStart = "2026-01-10",
            housing = new { type = "FollowUpAccommodation", since = "2026-01-01" },
            residenceStatus = new { kind = "RefugeeProtection" },
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // The intake happened three weeks ago (the test writes history the way time would have).
        await Backdate(id, upToVersion: 2, days: 21);
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{id}/housing") { Content = JsonContent.Create(new { type = "PrivateHousing", since = "2026-11-01" }) })
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
            using var moved = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using var session = await app.SignedInAs("im1@musterstadt.example");
        var today = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(CaseManagement.Common.Time.Berlin).Date;
        string Day(int daysAgo) => today.PlusDays(-daysAgo).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var before = await session.GetPageAsync($"/faelle/{id}/stand?am={Day(30)}");
        Assert.Equal("An diesem Tag gab es den Fall noch nicht.", before.QuerySelector(".notice")!.TextContent);
        var then = await session.GetPageAsync($"/faelle/{id}/stand?am={Day(10)}");
        Assert.Equal("Anschlussunterbringung (AU)", then.QuerySelector("[data-testid=as-of-housing]")!.TextContent);
        Assert.StartsWith($"Stand vom {today.PlusDays(-10).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)}", then.Title, StringComparison.Ordinal);
        Assert.Equal("Zielgruppe", then.QuerySelector("[data-testid=as-of-verdict]")!.TextContent);
        var now = await session.GetPageAsync($"/faelle/{id}/stand?am={Day(0)}");
        Assert.Equal("Privatwohnung", now.QuerySelector("[data-testid=as-of-housing]")!.TextContent);
        Assert.Equal("nicht Zielgruppe", now.QuerySelector("[data-testid=as-of-verdict]")!.TextContent);

        using var colleague = await app.SignedInAs("im2@musterstadt.example");
        using var hidden = await colleague.GetAsync($"/faelle/{id}/stand?am={Day(10)}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    private async Task Backdate(Guid caseId, int upToVersion, int days)
    {
        await using var connection = new NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE marten.mt_events SET timestamp = timestamp - make_interval(days => $1) WHERE stream_id = $2 AND version <= $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = days });
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)upToVersion });
        Assert.Equal(upToVersion, await command.ExecuteNonQueryAsync());
    }
}
