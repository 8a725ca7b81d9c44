using System.Globalization;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>Planning an appointment on the case page and "Meine Termine" in a real browser, on a laptop and on a phone (390 px), with axe.</summary>
public sealed class AppointmentsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task<(string Id, string CaseNumber)> OpenCase(IPage page, string email)
    {
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email, password = "Demo!2026" } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
            DataObject = new
            {
                firstName = "Termin", lastName = "T" + Guid.NewGuid().ToString("N")[..8], birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
                housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
            },
        });
        var body = JsonDocument.Parse(await created.TextAsync()).RootElement;
        return (body.GetProperty("id").GetString()!, body.GetProperty("caseNumber").GetString()!);
    }

    [Fact]
    public async Task A_manager_plans_a_home_visit_on_the_case_page_and_finds_it_in_Meine_Termine_also_on_a_phone()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        var (id, caseNumber) = await OpenCase(page, "im1@musterstadt.example");
        await BrowserFixture.SignInAsync(page, "im1@musterstadt.example");

        await page.GotoAsync($"/faelle/{id}/termine");
        await page.Locator("summary", new() { HasText = "Termin planen" }).ClickAsync();
        await QuickNoteBrowserTests.AssertFitsAsync(page, "Fallseite mit offenem Terminformular");
        var tomorrow = DateTime.Today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var section = page.Locator("section[aria-labelledby=appointments-title]");
        await section.GetByLabel("Datum und Uhrzeit").FillAsync($"{tomorrow}T10:30");
        await section.GetByLabel("Dauer in Minuten").FillAsync("45");
        await section.GetByLabel("Ort", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Hausbesuch" });
        await section.GetByLabel("Kurze Notiz").FillAsync("Unterlagen zum Sprachkurs mitbringen");
        await section.GetByRole(AriaRole.Button, new() { Name = "Termin speichern" }).ClickAsync();

        await Assertions.Expect(page.Locator(".notice[role=status]").First).ToContainTextAsync("Der Termin ist geplant.");
        await Assertions.Expect(section).ToContainTextAsync("Hausbesuch");
        await QuickNoteBrowserTests.AssertFitsAsync(page, "Fallseite nach dem Planen");

        await page.GotoAsync($"/termine?woche={tomorrow}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(caseNumber);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("10:30");
        await QuickNoteBrowserTests.AssertFitsAsync(page, "Meine Termine (Woche)");
        await page.GotoAsync($"/termine?ansicht=liste&woche={tomorrow}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(caseNumber);
        await QuickNoteBrowserTests.AssertFitsAsync(page, "Meine Termine (Liste)");

        // On a laptop the week has seven columns; still accessible.
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync($"/termine?woche={tomorrow}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(caseNumber);
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
