using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>The DPO's flow in a real browser, by keyboard: search, subject page, restriction, export, erasure in two steps; axe on every page.</summary>
public sealed class DataProtectionBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task<(string Number, string LastName)> OpenCase(IPage page)
    {
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email = "im2@musterstadt.example", password = "Demo!2026" } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        var lastName = "Betroffen" + Guid.NewGuid().ToString("N")[..6];
        var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
            DataObject = new
            {
                firstName = "Layla", lastName, birthDate = "1987-05-14", gender = "female", supportStart = "2026-02-01",
                housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
                consent = new { givenOn = "2026-02-01", scopes = new[] { "Counselling" }, formVersion = "2025-03" },
            },
        });
        return (JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("caseNumber").GetString()!, lastName);
    }

    [Fact]
    public async Task The_DPO_finds_a_person_restricts_exports_and_erases_the_case_by_keyboard()
    {
        var page = await browser.NewPageAsync();
        var (number, lastName) = await OpenCase(page);
        await BrowserFixture.SignInAsync(page, "dpo@musterstadt.example");

        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Hauptnavigation" });
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Betroffene" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Betroffene");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Name, Geburtsdatum oder Fallnummer").FillAsync($"{lastName} 14.05.1987");
        await page.GetByLabel("Zweck der Suche").FillAsync("Auskunftsersuchen vom 25.11.2026");
        await page.Keyboard.PressAsync("Enter");
        var result = page.GetByRole(AriaRole.Link, new() { Name = $"{lastName}, Layla" });
        await Assertions.Expect(result).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await result.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("case-number")).ToHaveTextAsync(number);
        await BrowserFixture.AssertAccessibleAsync(page);

        // Restriction by keyboard: the reason, then the button.
        await page.GetByLabel("Grund der Einschränkung").FillAsync("Richtigkeit bestritten");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verarbeitung einschränken" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("restriction")).ToContainTextAsync("Richtigkeit bestritten");
        await Assertions.Expect(page.GetByTestId("read-only")).ToBeVisibleAsync();

        // The export downloads a ZIP.
        var download = await page.RunAndWaitForDownloadAsync(async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Export herunterladen" }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
        });
        Assert.Equal($"auskunft-{number}.zip", download.SuggestedFilename);

        // Erasure: reason and legal basis, then the confirmation with the case number.
        await page.GetByLabel("Grund (ohne Namen)").FillAsync("Antrag der betroffenen Person vom 25.11.2026");
        await page.GetByLabel("Rechtsgrundlage").FillAsync("Art. 17 Abs. 1 lit. a DSGVO");
        await page.GetByRole(AriaRole.Button, new() { Name = "Löschung beantragen" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Löschung bestätigen");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Zur Bestätigung die Fallnummer eingeben").FillAsync("2026-0000");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("Fallnummer genau so eingeben");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Zur Bestätigung die Fallnummer eingeben").FillAsync(number);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("message")).ToContainTextAsync($"Fall {number} ist gelöscht.");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GotoAsync("/datenschutz/aufbewahrung");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Aufbewahrung");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GotoAsync("/datenschutz/zugriffsprotokoll");
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
