using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

public sealed class IntakeBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_manager_takes_in_a_client_by_labels_and_sees_an_accessible_case_page()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/konto/anmelden");
        await page.GetByLabel("E-Mail-Adresse").FillAsync("im2@musterstadt.example");
        await page.GetByLabel("Passwort").FillAsync(DemoData.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Guten Tag");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Hauptnavigation" }).GetByRole(AriaRole.Link, new() { Name = "Meine Fälle" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Klient:in aufnehmen" }).ClickAsync();
        await page.GetByLabel("Vorname").FillAsync("Olena");
        await page.GetByLabel("Nachname").FillAsync("Kovalenko");
        await page.GetByLabel("Geburtsdatum").FillAsync("1988-04-12");
        await page.GetByLabel("Geschlecht").SelectOptionAsync(new SelectOptionValue { Label = "weiblich" });
        await page.GetByLabel("Staatsangehörigkeit").FillAsync("UA");
        await page.GetByLabel("Wohnform").SelectOptionAsync(new SelectOptionValue { Label = "Anschlussunterbringung (AU)" });
        await page.GetByLabel("Wohnt so seit").FillAsync("2026-03-01");
        await page.GetByLabel("Aufenthaltsstatus").SelectOptionAsync(new SelectOptionValue { Label = "Vorübergehender Schutz (§ 24 AufenthG)" });
        await page.GetByLabel("Dokument gültig bis").FillAsync("2027-03-04");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Olena Kovalenko");
        await Assertions.Expect(page.GetByTestId("verdict")).ToHaveTextAsync("Zielgruppe");
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Violations.Length == 0,
            string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}")));

        await page.GetByRole(AriaRole.Link, new() { Name = "Zurück zu Meine Fälle" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Kovalenko, Olena" })).ToBeVisibleAsync();
    }
}
