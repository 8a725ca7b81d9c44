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

    /// <summary>
    /// A row of "Meine Fälle" is read from the narrow row of cases.case_figures (migration 0030), not from the case file:
    /// it must follow every change of the summary — the version the quick note posts, the eligibility, a restriction
    /// (no quick note on the row) and its end.
    /// </summary>
    [Fact]
    public async Task A_row_follows_its_case_version_eligibility_and_restriction()
    {
        using var client = await app.ClientFor("im2@musterstadt.example");
        var last = "Zeile" + Guid.NewGuid().ToString("N")[..6];
        using var created = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Amira", lastName = last, birthDate = "1991-02-03", gender = "female", supportStart = "2026-01-01",
            housing = new { type = "FollowUpAccommodation", since = "2025-12-01" }, residenceStatus = new { kind = "TrainingToleration" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var file = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = file.GetProperty("id").GetGuid();
        var number = file.GetProperty("caseNumber").GetString();
        var version = file.GetProperty("version").GetInt64();

        using var session = await app.SignedInAs("im2@musterstadt.example");
        async Task<IElement> Row() => Assert.Single((await session.GetPageAsync($"/faelle?search={last}")).QuerySelectorAll("tbody.case-group"));
        var row = await Row();
        Assert.Contains(number!, row.TextContent, StringComparison.Ordinal);
        Assert.Contains($"{last}, Amira", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("03.02.1991", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Einzelfallentscheidung nötig", row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"{version}", row.QuerySelector("input[name=Version]")!.GetAttribute("value"));

        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{id}/goals")
               { Content = JsonContent.Create(new { field = "Language", text = "Deutschkurs", agreedOn = "2026-03-01", targetDate = "2026-12-31" }) })
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
            using var goal = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, goal.StatusCode);
        }

        Assert.Equal($"{version + 1}", (await Row()).QuerySelector("input[name=Version]")!.GetAttribute("value"));

        using var dpo = await app.ClientFor("dpo@musterstadt.example");
        using (var restricted = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/restriction", new { reason = "Richtigkeit bestritten" }))
        {
            Assert.True(restricted.IsSuccessStatusCode, restricted.StatusCode.ToString());
        }

        Assert.Null((await Row()).QuerySelector("input[name=Version]"));
        using (var lifted = await dpo.DeleteAsync($"/api/v1/data-protection/subjects/{id}/restriction"))
        {
            Assert.True(lifted.IsSuccessStatusCode, lifted.StatusCode.ToString());
        }

        Assert.NotNull((await Row()).QuerySelector("input[name=Version]"));
    }
}
