using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

public sealed class IntakeBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_manager_takes_in_a_client_by_labels_and_sees_an_accessible_case_page()
    {
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "im2@musterstadt.example");

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
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Zurück zu Meine Fälle" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Kovalenko, Olena" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Nationality_and_languages_are_chosen_by_German_name_and_shown_by_name()
    {
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "im2@musterstadt.example");
        await page.GotoAsync("/faelle/neu");
        await page.GetByLabel("Vorname").FillAsync("Farid");
        await page.GetByLabel("Nachname").FillAsync("Nasiri");
        await page.GetByLabel("Geburtsdatum").FillAsync("1991-02-03");
        await page.GetByLabel("Geschlecht").SelectOptionAsync(new SelectOptionValue { Label = "männlich" });
        // The datalist offers German names; the field takes the name as typed.
        Assert.Equal(1, await page.Locator("#country-names option[value='Afghanistan']").CountAsync());
        await page.GetByLabel("Staatsangehörigkeit").FillAsync("Afghanistan");
        await page.GetByLabel("Sprachen", new() { Exact = true }).SelectOptionAsync([new SelectOptionValue { Label = "Dari" }, new SelectOptionValue { Label = "Deutsch" }]);
        await page.GetByLabel("Wohnform").SelectOptionAsync(new SelectOptionValue { Label = "Anschlussunterbringung (AU)" });
        await page.GetByLabel("Wohnt so seit").FillAsync("2026-03-01");
        await page.GetByLabel("Aufenthaltsstatus").SelectOptionAsync(new SelectOptionValue { Label = "Vorübergehender Schutz (§ 24 AufenthG)" });
        await page.GetByLabel("Dokument gültig bis").FillAsync("2027-03-04");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Farid Nasiri");
        await Assertions.Expect(page.Locator("dt:text-is('Staatsangehörigkeit') + dd")).ToHaveTextAsync("Afghanistan");
        await Assertions.Expect(page.GetByTestId("person")).ToContainTextAsync("Dari, Deutsch");
    }
}
