using CaseManagement.Organisations;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// The application on a real Kestrel port with demo data, and Debian's Chromium driven by Playwright
/// (the browser is never downloaded: <c>ExecutablePath</c> points to the system binary).
/// </summary>
public sealed class BrowserFixture(PostgresServer postgres) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private CaseManagementFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The application's services (e.g. to run a background job the way Hangfire would).</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : ChromiumPath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium nicht gefunden ({executable}). ./test.sh installiert es (apt-get install chromium).");
        }

        _factory = new CaseManagementFactory(await postgres.CreateDatabaseAsync());
        BaseAddress = await _factory.StartOnKestrelWithDemoDataAsync();

        // Shared, noisy machines: be patient, the assertions poll the page until then.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // The machine has no network beyond package registries; keep Chromium from trying.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "en-US" });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the form, as a person would, and waits for the start page.</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/konto/anmelden");
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(DemoData.DefaultPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        // Wait for the start page's content rather than for navigation events (no load-state races).
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Guten Tag");
    }

    /// <summary>axe-core finds no WCAG 2.0/2.1 level A or AA violation on the current page.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Violations.Length == 0,
            string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target))}")));
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
