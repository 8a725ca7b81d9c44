using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>The page "Wirkung" in a real browser: chart and table per field, hidden small numbers, accessibility, 390 px.</summary>
public sealed class OutcomesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Opens <paramref name="count"/> cases for the manager, each with one goal in the field, agreed on 01.03.2026.</summary>
    private static async Task OpenCasesWithGoals(IPage page, string email, int count, string field)
    {
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email, password = DemoData.DefaultPassword } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        for (var i = 0; i < count; i++)
        {
            var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
                DataObject = new
                {
                    firstName = "Wirkung", lastName = $"Browser{field}{i}", birthDate = "1990-01-01", gender = "female", supportStart = "2026-02-01",
                    housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
                },
            });
            var id = JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("id").GetString();
            var goal = await page.APIRequest.PostAsync($"/api/v1/clients/{id}/goals", new()
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}", ["If-Match"] = "\"2\"" },
                DataObject = new { field, text = "Ziel", agreedOn = "2026-03-01", targetDate = "2026-09-30" },
            });
            Assert.Equal(201, goal.Status);
        }
    }

    [Fact]
    public async Task The_lead_reads_chart_and_table_per_field_with_small_numbers_hidden_at_desktop_and_phone_width()
    {
        var page = await browser.NewPageAsync();
        await OpenCasesWithGoals(page, "im1@musterstadt.example", 6, "Language");
        await OpenCasesWithGoals(page, "im2@musterstadt.example", 2, "Housing");
        await BrowserFixture.SignInAsync(page, "lead@musterstadt.example");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Hauptnavigation" }).GetByRole(AriaRole.Link, new() { Name = "Wirkung" }).ClickAsync();
        await page.GetByLabel("Von").FillAsync("2026-01-01");
        await page.GetByLabel("Bis").FillAsync("2026-12-31");
        await page.GetByLabel("Gliederung nach").SelectOptionAsync(new SelectOptionValue { Label = "Team" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Auswerten" }).ClickAsync();

        var language = page.GetByTestId("outcomes-table-language");
        await Assertions.Expect(language.Locator("caption")).ToContainTextAsync("Spracherwerb");
        await Assertions.Expect(language.Locator("tbody tr").Last.Locator("th")).ToHaveTextAsync("Gesamt");
        await Assertions.Expect(page.GetByTestId("outcomes-chart-language")).ToBeVisibleAsync();
        // Two persons with a housing goal: the figure shows as "< 5", in the table and in the chart.
        await Assertions.Expect(page.GetByTestId("outcomes-table-housing").Locator("tbody tr").First.Locator("td").First).ToHaveTextAsync("< 5");
        await Assertions.Expect(page.GetByTestId("outcomes-chart-housing")).ToContainTextAsync("ausgeblendet");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Every SVG number has a decimal point (the page is German), whatever the server's culture.
        var badNumbers = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('svg.chart *')].flatMap(e =>
            ['x', 'y', 'dy', 'width', 'height'].map(a => e.getAttribute(a)).filter(v => v !== null && !/^-?\d+(\.\d+)?$/.test(v)))");
        Assert.Empty(badNumbers);

        await page.SetViewportSizeAsync(390, 844);
        // Chart and table of every field fit the phone's width (a wide table scrolls inside its own focusable region).
        var wider = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('.outcome-field, .outcome-field svg.chart, .outcome-field .table-scroll')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.className.baseVal ?? e.className)");
        Assert.Empty(wider);
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
