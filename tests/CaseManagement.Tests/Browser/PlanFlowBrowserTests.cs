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
        await page.Locator(".case-tabs").GetByRole(AriaRole.Link, new() { Name = "Plan", Exact = true }).ClickAsync();

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

    [Fact]
    public async Task Intake_with_consent_then_every_form_of_the_case_page_is_accessible_and_the_profile_works_by_keyboard()
    {
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "im2@musterstadt.example");
        await page.GotoAsync("/faelle/neu");
        await page.GetByLabel("Vorname").FillAsync("Mariam");
        await page.GetByLabel("Nachname").FillAsync("Yusuf");
        await page.GetByLabel("Geburtsdatum").FillAsync("1985-04-04");
        await page.GetByLabel("Geschlecht").SelectOptionAsync(new SelectOptionValue { Label = "weiblich" });
        await page.GetByLabel("Wohnform").SelectOptionAsync(new SelectOptionValue { Label = "Anschlussunterbringung (AU)" });
        await page.GetByLabel("Wohnt so seit").FillAsync("2026-01-01");
        await page.GetByLabel("Aufenthaltsstatus").SelectOptionAsync(new SelectOptionValue { Label = "Subsidiärer Schutz (§ 4 AsylG)" });
        await page.GetByLabel("Beginn der Begleitung").FillAsync("2026-02-01");
        await page.GetByLabel("Postleitzahl").FillAsync("70173");
        await page.GetByLabel("Einwilligung erteilt am").FillAsync("2026-02-01");
        await page.GetByLabel("Beratung und Integrationsplan").CheckAsync();
        await page.GetByLabel("Version des Einwilligungsformulars").FillAsync("2025-03");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();
        var caseUrl = new Uri(page.Url).AbsolutePath;
        await page.GotoAsync(caseUrl + "/datenschutz");
        await Assertions.Expect(page.GetByTestId("consent")).ToContainTextAsync("Formular 2025-03");

        // Every collapsed form of every section opened at once: labels, contrast and structure of all of them are checked.
        foreach (var section in new[] { "", "/plan", "/beratungen", "/termine", "/erinnerungen", "/dokumente", "/verlauf", "/datenschutz" })
        {
            await page.GotoAsync(caseUrl + section);
            await page.EvaluateAsync("() => document.querySelectorAll('details').forEach(d => d.open = true)");
            await BrowserFixture.AssertAccessibleAsync(page);
        }

        await page.GotoAsync(caseUrl + "/plan");

        // Keyboard only: open "Profil bearbeiten", type, submit with Enter on the button.
        await page.GetByText("Profil bearbeiten", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Schneiderin mit 10 Jahren Erfahrung");
        await page.GetByRole(AriaRole.Button, new() { Name = "Profil speichern" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("profile")).ToContainTextAsync("Schneiderin mit 10 Jahren Erfahrung");
    }
}
