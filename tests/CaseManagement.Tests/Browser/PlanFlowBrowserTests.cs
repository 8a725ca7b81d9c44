using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>The whole path in a real browser: intake → plan → in progress → review (achieved) → print.</summary>
public sealed class PlanFlowBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_manager_takes_a_client_from_intake_to_an_achieved_goal_and_prints_the_plan()
    {
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "im3@musterstadt.example");
        await page.GotoAsync("/faelle/neu");
        await page.GetByLabel("Vorname").FillAsync("Hamid");
        await page.GetByLabel("Nachname").FillAsync("Sultani");
        await page.GetByLabel("Geburtsdatum").FillAsync("1993-07-07");
        await page.GetByLabel("Geschlecht").SelectOptionAsync(new SelectOptionValue { Label = "männlich" });
        await page.GetByLabel("Staatsangehörigkeit").FillAsync("AF");
        await page.GetByLabel("Wohnform").SelectOptionAsync(new SelectOptionValue { Label = "Anschlussunterbringung (AU)" });
        await page.GetByLabel("Wohnt so seit").FillAsync("2026-01-01");
        await page.GetByLabel("Aufenthaltsstatus").SelectOptionAsync(new SelectOptionValue { Label = "Flüchtlingsschutz (§ 3 AsylG)" });
        await page.GetByLabel("Beginn der Begleitung").FillAsync("2026-02-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Hamid Sultani");

        await page.GetByText("Ziel vereinbaren", new() { Exact = true }).First.ClickAsync();
        await page.GetByLabel("Handlungsfeld").SelectOptionAsync(new SelectOptionValue { Label = "Arbeitsmarktintegration" });
        await page.GetByLabel("Ziel (mit der Klientin / dem Klienten vereinbart)").FillAsync("Ausbildung als Elektroniker beginnen");
        await page.GetByLabel("Zieltermin").FillAsync("2027-08-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ziel vereinbaren" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("goal-status")).ToHaveTextAsync("vereinbart");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Neuer Stand").SelectOptionAsync(new SelectOptionValue { Label = "in Arbeit" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Stand speichern" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("goal-status")).ToHaveTextAsync("in Arbeit");

        await page.GetByText("Fortschreibung erfassen", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("Zusammenfassung").FillAsync("Ausbildungsvertrag unterschrieben.");
        await page.GetByRole(AriaRole.Radio, new() { Name = "abschließen" }).CheckAsync();
        await page.GetByLabel("Ergebnis (beim Abschließen)").SelectOptionAsync(new SelectOptionValue { Label = "erreicht" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortschreibung speichern" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("goal-status")).ToHaveTextAsync("erreicht");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Druckansicht zur Unterschrift" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Integrationsplan");
        await Assertions.Expect(page.Locator(".goals-table")).ToContainTextAsync("Ausbildung als Elektroniker beginnen");
        await Assertions.Expect(page.Locator(".signatures")).ToContainTextAsync("Unterschrift Klient:in");
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
