using CaseManagement.Tests.Documents;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>Documents in a real browser: upload through the case page's form, the confirmation, the deletion with its reason; axe-clean.</summary>
public sealed class DocumentsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_manager_uploads_a_scan_on_the_case_page_sees_the_confirmation_and_deletes_it_with_a_reason()
    {
        var page = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "im2@musterstadt.example");
        await page.GotoAsync("/faelle/neu");
        await page.GetByLabel("Vorname").FillAsync("Samira");
        await page.GetByLabel("Nachname").FillAsync("Haddad");
        await page.GetByLabel("Geburtsdatum").FillAsync("1995-03-03");
        await page.GetByLabel("Geschlecht").SelectOptionAsync(new SelectOptionValue { Label = "weiblich" });
        await page.GetByLabel("Staatsangehörigkeit").FillAsync("SY");
        await page.GetByLabel("Wohnform").SelectOptionAsync(new SelectOptionValue { Label = "Anschlussunterbringung (AU)" });
        await page.GetByLabel("Wohnt so seit").FillAsync("2026-01-01");
        await page.GetByLabel("Aufenthaltsstatus").SelectOptionAsync(new SelectOptionValue { Label = "Flüchtlingsschutz (§ 3 AsylG)" });
        await page.GetByLabel("Beginn der Begleitung").FillAsync("2026-02-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Aufnehmen" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Samira Haddad");

        await page.Locator(".case-tabs").GetByRole(AriaRole.Link, new() { Name = "Dokumente", Exact = true }).ClickAsync();

        // A file that is no PDF, although named so: the message stands next to the field.
        await page.GetByText("Dokument hochladen", new() { Exact = true }).First.ClickAsync();
        await page.GetByLabel("Datei (PDF, JPEG, PNG, DOCX oder ODT, höchstens 20 MB)").SetInputFilesAsync(
            new FilePayload { Name = "aufenthaltstitel.pdf", MimeType = "application/pdf", Buffer = "nur Text"u8.ToArray() });
        await page.GetByLabel("Titel").FillAsync("Aufenthaltstitel");
        await page.GetByLabel("Art des Dokuments").SelectOptionAsync(new SelectOptionValue { Label = "Aufenthaltsdokument" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Dokument hochladen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".field-error").Filter(new() { HasText = "Dieser Dateityp wird nicht angenommen" })).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Datei (PDF, JPEG, PNG, DOCX oder ODT, höchstens 20 MB)").SetInputFilesAsync(
            new FilePayload { Name = "scan.pdf", MimeType = "application/pdf", Buffer = DocumentFixtures.Pdf("Browser") });
        await page.GetByLabel("Titel").FillAsync("Aufenthaltstitel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dokument hochladen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Das Dokument ist gespeichert.");
        await Assertions.Expect(page.GetByTestId("documents")).ToContainTextAsync("Aufenthaltstitel");
        await Assertions.Expect(page.GetByTestId("documents")).ToContainTextAsync("Aufenthaltsdokument");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Löschen … Aufenthaltstitel" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dokument löschen");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Grund der Löschung").FillAsync("Falsche Person");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dokument endgültig löschen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("Das Dokument ist gelöscht");
        await page.Locator(".case-tabs").GetByRole(AriaRole.Link, new() { Name = "Verlauf", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync("Dokument „Aufenthaltstitel“ gelöscht: Falsche Person");
    }
}
