using CaseManagement.CaseImports;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseManagement.Tests.CaseImports;

/// <summary>The import wizard in a real browser (Debian Chromium), axe on every step, at a phone's width (390 px).</summary>
public sealed class ImportWizardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task RunJobAsync(IPage page)
    {
        var id = Guid.Parse(new Uri(page.Url).Segments[^1]);
        await using var scope = browser.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ImportJobs>().Run(id, CancellationToken.None);
    }

    [Fact]
    public async Task An_administrator_walks_the_wizard_to_the_progress_bar_and_the_report()
    {
        var page = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.SignInAsync(page, "admin@musterstadt.example");

        await page.GetByRole(AriaRole.Link, new() { Name = "Import", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Fälle importieren");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Without a file: the error summary links to the field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Hochladen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error-summary a[href='#File']")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Datei (CSV oder XLSX)").SetInputFilesAsync(Path.Combine(AppContext.BaseDirectory, "Imports", "Files", "faelle-utf8-bom.csv"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Hochladen" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Spalten zuordnen");
        await Assertions.Expect(page.GetByLabel("Nachname", new() { Exact = true })).ToHaveValueAsync("Nachname");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByLabel("Mögliche Dubletten trotzdem anlegen").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Weiter zur Vorschau" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vorschau");
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("U-2003");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Probelauf starten" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Probelauf läuft");
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "0");
        await Assertions.Expect(page.Locator("#import-progress-text")).ToHaveTextAsync("0 von 3 Zeilen");
        await BrowserFixture.AssertAccessibleAsync(page);

        // The job runs as Hangfire would; the page's script notices and shows the result.
        await RunJobAsync(page);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Ergebnis des Probelaufs", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#import-summary")).ToHaveTextAsync("1 Fall wird angelegt, 0 sind schon vorhanden, 2 Zeilen werden abgewiesen.");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Import jetzt ausführen" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Import läuft");
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await RunJobAsync(page);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Bericht des Imports");
        await Assertions.Expect(page.Locator("#import-summary")).ToHaveTextAsync("1 Fall wurde angelegt, 0 waren schon vorhanden, 2 Zeilen wurden abgewiesen.");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Abgewiesene Zeilen herunterladen (mit Spalte „Fehler“)" }).ClickAsync());
        Assert.EndsWith("-Fehler.csv", download.SuggestedFilename, StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
