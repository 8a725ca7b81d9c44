using CaseManagement.Demo;
using CaseManagement.Tests.Api;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>
/// The pictures of the README and the user guide (docs/images/*.png), taken from the demo data in a real browser at
/// 1280×800, so they show the screens as they are. Every run takes them (and fails when a screen is missing what the
/// picture is about); <c>UPDATE_SCREENSHOTS=1 ./test.sh --filter ScreenshotTests</c> writes them into docs/images.
/// </summary>
public sealed class ScreenshotTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>The pictures the docs show; each must exist in docs/images.</summary>
    public static readonly string[] Pictures =
        ["meine-faelle.png", "fall.png", "fall-ziel.png", "erinnerungen.png", "aufnahme.png", "team.png"];

    private static string Folder => Path.Combine(ApiContractFixture.RepositoryRoot, "docs", "images");

    private static bool Update => Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1";

    private readonly List<string> _taken = [];

    private async Task ShotAsync(IPage page, string name, ILocator? only = null)
    {
        var bytes = only is null
            ? await page.ScreenshotAsync(new() { FullPage = false, Animations = ScreenshotAnimations.Disabled })
            : await only.ScreenshotAsync(new() { Animations = ScreenshotAnimations.Disabled });
        Assert.True(bytes.Length > 10_000, $"{name}: the picture is nearly empty ({bytes.Length} bytes).");
        if (Update)
        {
            Directory.CreateDirectory(Folder);
            await File.WriteAllBytesAsync(Path.Combine(Folder, name), bytes);
        }

        _taken.Add(name);
    }

    private async Task<IPage> SignedInAsync(string email)
    {
        // German browser (date fields as TT.MM.JJJJ), a common laptop screen.
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = browser.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, email);
        return page;
    }

    [Fact]
    public async Task The_pictures_of_the_README_and_the_user_guide_are_the_screens_of_the_demo_data()
    {
        // The demo cases of run.sh (about 20 per manager of Stadt Musterstadt, in every stage).
        await browser.Services.GetRequiredService<DemoCases>().SeedAsync();
        var manager = await SignedInAsync("im1@musterstadt.example");
        await manager.GotoAsync("/faelle");
        await Assertions.Expect(manager.Locator("table.data-table tbody tr").First).ToBeVisibleAsync();
        await ShotAsync(manager, "meine-faelle.png");

        // An open case with an agreed plan: the first one in the list whose page shows goals.
        await manager.GotoAsync("/faelle?status=Open");
        var links = await manager.Locator("table.data-table tbody tr td a").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        var withPlan = false;
        foreach (var href in links)
        {
            await manager.GotoAsync(href + "/plan");
            await Assertions.Expect(manager.Locator("#plan-title")).ToBeVisibleAsync();
            if (await manager.GetByText("Noch keine Ziele vereinbart.").CountAsync() == 0)
            {
                withPlan = true;
                break;
            }
        }

        Assert.True(withPlan, "No demo case of im1 has an agreed plan.");
        await Assertions.Expect(manager.GetByTestId("case-number")).ToBeVisibleAsync();
        await ShotAsync(manager, "fall.png");
        var plan = manager.Locator("section[aria-labelledby=plan-title]");
        await plan.ScrollIntoViewIfNeededAsync();
        await ShotAsync(manager, "fall-ziel.png", plan);

        await manager.GotoAsync("/erinnerungen");
        await Assertions.Expect(manager.Locator("h1")).ToContainTextAsync("Erinnerungen");
        await ShotAsync(manager, "erinnerungen.png");

        await manager.GotoAsync("/faelle");
        await manager.GetByRole(AriaRole.Link, new() { Name = "Klient:in aufnehmen" }).ClickAsync();
        await Assertions.Expect(manager.Locator("h1")).ToBeVisibleAsync();
        await ShotAsync(manager, "aufnahme.png");

        var lead = await SignedInAsync("lead@musterstadt.example");
        await lead.GotoAsync("/team");
        await Assertions.Expect(lead.GetByTestId("caseload-chart")).ToBeVisibleAsync();
        await ShotAsync(lead, "team.png");

        Assert.Equal(Pictures.Order(), _taken.Order());
        foreach (var name in Pictures)
        {
            Assert.True(File.Exists(Path.Combine(Folder, name)), $"docs/images/{name} is missing: UPDATE_SCREENSHOTS=1 ./test.sh --filter ScreenshotTests");
        }

        // The docs show every picture (README: the three screens; the user guide: all of them).
        var readme = await File.ReadAllTextAsync(Path.Combine(ApiContractFixture.RepositoryRoot, "README.md"));
        var guide = await File.ReadAllTextAsync(Path.Combine(ApiContractFixture.RepositoryRoot, "docs", "user-guide.md"));
        Assert.All(new[] { "meine-faelle.png", "fall.png", "team.png" }, name => Assert.Contains($"docs/images/{name}", readme, StringComparison.Ordinal));
        Assert.All(Pictures, name => Assert.Contains($"images/{name}", guide, StringComparison.Ordinal));
    }
}
