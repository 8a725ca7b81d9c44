using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>The lead's Team page in a real browser: dashboard, bulk reassignment, accessibility.</summary>
public sealed class TeamBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Opens cases for a manager through the API (bearer token from the login endpoint).</summary>
    private static async Task<List<string>> OpenCases(IPage page, string email, int count)
    {
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email, password = "Demo!2026" } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        var numbers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
                DataObject = new
                {
                    firstName = "Bulk", lastName = $"Umverteilung{i}", birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
                    housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
                },
            });
            numbers.Add(JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("caseNumber").GetString()!);
        }

        return numbers;
    }

    [Fact]
    public async Task The_lead_reads_the_dashboard_and_moves_several_cases_at_once()
    {
        var page = await browser.NewPageAsync();
        var numbers = await OpenCases(page, "im1@musterstadt.example", 3);
        await BrowserFixture.SignInAsync(page, "lead@musterstadt.example");

        await page.GotoAsync("/team");
        await Assertions.Expect(page.GetByTestId("dashboard")).ToContainTextAsync("Miriam Keller");
        await Assertions.Expect(page.GetByTestId("caseload-chart")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        // The server renders German pages: every SVG number still has a decimal point, and no label runs into a bar or another label.
        var badNumbers = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('svg.chart *')].flatMap(e =>
            ['x', 'y', 'dy', 'width', 'height'].map(a => e.getAttribute(a)).filter(v => v !== null && !/^-?\d+(\.\d+)?$/.test(v)))");
        Assert.Empty(badNumbers);
        var overlaps = await page.EvaluateAsync<int>(@"() => {
            let n = 0;
            for (const svg of document.querySelectorAll('svg.chart')) {
                const labels = [...svg.querySelectorAll('.chart-label')].map(t => t.getBBox());
                const bars = [...svg.querySelectorAll('rect')].map(r => r.getBBox());
                labels.forEach((a, i) => {
                    bars.forEach(b => { if (a.x + a.width > b.x && a.x < b.x + b.width && a.y + a.height > b.y && a.y < b.y + b.height) n++; });
                    labels.slice(i + 1).forEach(b => { if (a.y + a.height > b.y && a.y < b.y + b.height) n++; });
                });
            }
            return n;
        }");
        Assert.Equal(0, overlaps);

        await page.GetByLabel($"Fall {numbers[0]} auswählen").CheckAsync();
        await page.GetByLabel($"Fall {numbers[1]} auswählen").CheckAsync();
        await page.GetByLabel("An", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Jonas Weber" });
        await page.GetByLabel("Notiz (optional, steht im Verlauf der Fälle)").FillAsync("Ausgleich der Fallzahlen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ausgewählte umverteilen" }).ClickAsync();

        // First the confirmation: what happens to how many cases; cancel goes back and changes nothing.
        await Assertions.Expect(page.GetByTestId("confirm-summary")).ToHaveTextAsync("2 Fälle von Miriam Keller an Jonas Weber übertragen.");
        await Assertions.Expect(page.GetByTestId("confirm-cases").Locator("tbody tr")).ToHaveCountAsync(2);
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Abbrechen – nichts ändern" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("team-cases").Locator("tbody tr").Filter(new() { HasText = numbers[0] })).ToContainTextAsync("Miriam Keller");

        await page.GetByLabel($"Fall {numbers[0]} auswählen").CheckAsync();
        await page.GetByLabel($"Fall {numbers[1]} auswählen").CheckAsync();
        await page.GetByLabel("An", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Jonas Weber" });
        await page.GetByLabel("Notiz (optional, steht im Verlauf der Fälle)").FillAsync("Ausgleich der Fallzahlen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ausgewählte umverteilen" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, 2 Fälle umverteilen" }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice")).ToHaveTextAsync("2 Fälle umverteilt.");
        var rows = page.GetByTestId("team-cases").Locator("tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = numbers[0] })).ToContainTextAsync("Jonas Weber");
        await Assertions.Expect(rows.Filter(new() { HasText = numbers[2] })).ToContainTextAsync("Miriam Keller");
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
