using System.Globalization;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>"Stand am" with a back-dated move, and the access log filtered by case number and a person's name, on a phone (390 px), with axe.</summary>
public sealed class AsOfBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_as_of_view_says_what_was_recorded_later_and_the_DPO_filters_the_log_by_case_number_on_a_phone()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        var today = DateTime.Today;
        string Iso(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email = "im1@musterstadt.example", password = "Demo!2026" } });
        var auth = new Dictionary<string, string> { ["Authorization"] = $"Bearer {JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString()}" };
        var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
        {
            Headers = auth,
            DataObject = new
            {
                firstName = "Stand", lastName = "S" + Guid.NewGuid().ToString("N")[..8], birthDate = "1990-01-01", gender = "unknown", supportStart = Iso(today.AddDays(-60)),
                housing = new { type = "FollowUpAccommodation", since = Iso(today.AddDays(-90)) }, residenceStatus = new { kind = "RefugeeProtection" },
            },
        });
        var body = JsonDocument.Parse(await created.TextAsync()).RootElement;
        var (id, number) = (body.GetProperty("id").GetString()!, body.GetProperty("caseNumber").GetString()!);
        // Moved ten days ago, recorded today.
        var moved = await page.APIRequest.PostAsync($"/api/v1/clients/{id}/housing", new()
        {
            Headers = new Dictionary<string, string>(auth) { ["If-Match"] = "\"2\"" },
            DataObject = new { type = "PrivateHousing", since = Iso(today.AddDays(-10)) },
        });
        Assert.Equal(200, moved.Status);

        await BrowserFixture.SignInAsync(page, "im1@musterstadt.example");
        await page.GotoAsync($"/faelle/{id}/stand?am={Iso(today.AddDays(-5))}");
        await Assertions.Expect(page.GetByTestId("as-of-housing")).ToHaveTextAsync("Privatwohnung");
        await Assertions.Expect(page.GetByTestId("as-of-late").First).ToContainTextAsync("nachträglich erfasst am " + today.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture));
        await QuickNoteBrowserTests.AssertFitsAsync(page, "Stand am");

        await BrowserFixture.SignInAsync(page, "dpo@musterstadt.example");
        await page.GotoAsync("/datenschutz/zugriffsprotokoll");
        await page.GetByLabel("Fallnummer", new() { Exact = true }).FillAsync(number);
        await page.GetByLabel("Person", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Miriam Keller" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtern" }).ClickAsync();
        var log = page.GetByTestId("access-log");
        await Assertions.Expect(log).ToContainTextAsync(number);
        await Assertions.Expect(log).ToContainTextAsync("Stand");
        await Assertions.Expect(log).Not.ToContainTextAsync(id);
        await QuickNoteBrowserTests.AssertFitsAsync(page, "Zugriffsprotokoll nach Fallnummer");
    }
}
