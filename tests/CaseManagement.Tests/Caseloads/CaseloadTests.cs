using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Caseloads;

/// <summary>"Meine Fälle" with filters for eligibility and overdue reviews, and paging.</summary>
public sealed class CaseloadTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_caseload_filters_by_eligibility_and_overdue_reviews_and_pages_by_25()
    {
        using var client = await app.ClientFor("im3@musterstadt.example");
        var ids = new List<Guid>();
        for (var i = 0; i < 27; i++)
        {
            using var created = await client.PostAsJsonAsync("/api/v1/clients", new
            {
                firstName = $"Person{i:00}",
                lastName = "Lastprobe",
                birthDate = "1990-06-15",
                gender = "unknown",
                nationality = "SY",
                supportStart = "2026-01-01",
                housing = new { type = "FollowUpAccommodation", since = "2025-12-01" },
                residenceStatus = new { kind = i == 0 ? "TrainingToleration" : "RefugeeProtection" },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{ids[1]}/goals")
               { Content = JsonContent.Create(new { field = "Health", text = "Hausarzt finden", agreedOn = "2026-03-01", targetDate = "2026-12-31", nextReview = "2026-06-01" }) })
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
            using var goal = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, goal.StatusCode);
        }

        using var all = await client.GetAsync("/api/v1/clients");
        Assert.Equal("27", all.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(25, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        var second = await client.GetFromJsonAsync<JsonElement>("/api/v1/clients?page=2");
        Assert.Equal(2, second.GetArrayLength());
        var individual = await client.GetFromJsonAsync<JsonElement>("/api/v1/clients?eligibility=NeedsIndividualDecision");
        Assert.Equal(ids[0], Assert.Single(individual.EnumerateArray()).GetProperty("id").GetGuid());
        var overdue = await client.GetFromJsonAsync<JsonElement>("/api/v1/clients?overdue=true");
        Assert.Equal(ids[1], Assert.Single(overdue.EnumerateArray()).GetProperty("id").GetGuid());

        using var session = await app.SignedInAs("im3@musterstadt.example");
        var first = await session.GetPageAsync("/faelle");
        Assert.Equal("27 Fälle", first.QuerySelector("caption")!.TextContent);
        Assert.Equal(25, first.QuerySelectorAll("tbody.case-group > tr:first-child").Length);
        Assert.Equal("Seite 1 von 2", first.QuerySelector(".pager span")!.TextContent);
        var next = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        Assert.Equal(2, (await session.GetPageAsync(next)).QuerySelectorAll("tbody.case-group > tr:first-child").Length);
        var overduePage = await session.GetPageAsync("/faelle?overdue=true");
        var row = Assert.Single(overduePage.QuerySelectorAll("tbody.case-group > tr:first-child"));
        Assert.Contains("überfällig", row.TextContent, StringComparison.Ordinal);
    }
}
