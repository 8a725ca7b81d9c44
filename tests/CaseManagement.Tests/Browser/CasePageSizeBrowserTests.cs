using System.Globalization;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>
/// The case page of a busy case (20 goals, 100 consultations) at 1280×800: how tall it is and how many clicks it
/// takes from "Meine Fälle" to "goal updated and back". The figures go to the output (and docs/user-guide.md).
/// </summary>
public sealed class CasePageSizeBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <summary>A case of im1 with <paramref name="goals"/> goals and <paramref name="consultations"/> consultations, made through the API.</summary>
    public static async Task<(string Id, string LastName, string FirstGoalId)> BusyCase(IPage page, string email, int goals, int consultations)
    {
        ArgumentNullException.ThrowIfNull(page);
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email, password = "Demo!2026" } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };
        var lastName = "Viel" + Guid.NewGuid().ToString("N")[..8];
        var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
        {
            Headers = headers,
            DataObject = new
            {
                firstName = "Vera", lastName, birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
                housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
            },
        });
        var body = JsonDocument.Parse(await created.TextAsync()).RootElement;
        var id = body.GetProperty("id").GetString()!;
        var version = body.GetProperty("version").GetInt64();
        string? firstGoal = null;

        async Task<JsonElement> Post(string url, object data)
        {
            var response = await page.APIRequest.PostAsync(url, new()
            {
                Headers = new Dictionary<string, string>(headers) { ["If-Match"] = $"\"{version}\"" },
                DataObject = data,
            });
            var text = await response.TextAsync();
            Assert.True(response.Ok, $"{url}: {response.Status} {text}");
            var json = JsonDocument.Parse(text).RootElement;
            version = json.GetProperty("version").GetInt64();
            return json;
        }

        for (var i = 0; i < goals; i++)
        {
            var goal = await Post($"/api/v1/clients/{id}/goals", new
            {
                field = i % 2 == 0 ? "LabourMarket" : "Language", text = $"Ziel Nummer {i + 1}: einen Schritt weiterkommen", agreedOn = "2026-03-01",
                targetDate = "2027-06-30",
            });
            firstGoal ??= goal.GetProperty("goalId").GetString();
        }

        for (var i = 0; i < consultations; i++)
        {
            var day = new DateOnly(2026, 2, 2).AddDays(i * 2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await Post($"/api/v1/clients/{id}/consultations", new
            {
                date = day, durationMinutes = 45, mode = "Office", fields = new[] { "LabourMarket" }, note = $"Beratung {i + 1}: Unterlagen besprochen.",
            });
        }

        return (id, lastName, firstGoal ?? "");
    }

    [Fact]
    public async Task Busy_case_page_height_at_1280x800()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var (id, _, _) = await BusyCase(page, "im1@musterstadt.example", goals: 20, consultations: 100);
        await BrowserFixture.SignInAsync(page, "im1@musterstadt.example");

        foreach (var url in new[] { $"/faelle/{id}", $"/faelle/{id}/plan", $"/faelle/{id}/beratungen", $"/faelle/{id}/verlauf" })
        {
            var response = await page.GotoAsync(url);
            var height = await page.EvaluateAsync<int>("() => document.body.scrollHeight");
            var section = url[(url.IndexOf(id, StringComparison.Ordinal) + id.Length)..];
            output.WriteLine($"MEASURE {(section.Length > 0 ? section : "/")}: HTTP {response?.Status}, document.body.scrollHeight = {height} px");
        }
    }
}
