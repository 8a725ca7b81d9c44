using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

public sealed class SignInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_manager_signs_in_with_the_keyboard_and_sees_the_German_start_page_with_navigation()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");

        Assert.EndsWith("/konto/anmelden?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("E-Mail-Adresse").FillAsync("im1@musterstadt.example");
        await page.GetByLabel("Passwort").FillAsync(DemoData.DefaultPassword);
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Guten Tag, Miriam Keller");
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Hauptnavigation" });
        Assert.Equal(["Start", "Meine Fälle", "Meine Termine", "Erinnerungen"], (await navigation.GetByRole(AriaRole.Link).AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Equal("Integrationsmanager:in", await page.Locator("[data-testid=user-role]").InnerTextAsync());
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_to_screen_readers_and_keeps_the_user_on_the_form()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/konto/anmelden");

        await page.GetByLabel("E-Mail-Adresse").FillAsync("im1@musterstadt.example");
        await page.GetByLabel("Passwort").FillAsync("Falsch!2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        Assert.Contains("E-Mail-Adresse oder Passwort ist falsch.", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/konto/anmelden", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_tab_stop_is_the_skip_link_to_the_content()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/konto/anmelden");

        await page.Keyboard.PressAsync("Tab");

        Assert.Equal("Zum Inhalt springen", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.EndsWith("#inhalt", page.Url, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin@musterstadt.example", "/")]
    [InlineData("admin@musterstadt.example", "/verwaltung/benutzer")]
    [InlineData("admin@musterstadt.example", "/verwaltung/benutzer/neu")]
    [InlineData("admin@musterstadt.example", "/verwaltung/teams")]
    [InlineData("im1@musterstadt.example", "/konto/sicherheit")]
    [InlineData("im1@musterstadt.example", "/konto/sicherheit/passwort")]
    [InlineData("im1@musterstadt.example", "/faelle")]
    [InlineData("im1@musterstadt.example", "/faelle/neu")]
    [InlineData(null, "/konto/anmelden")]
    public async Task Pages_have_no_WCAG_2_1_AA_violations(string? email, string url)
    {
        var page = await browser.NewPageAsync();
        if (email is not null)
        {
            await BrowserFixture.SignInAsync(page, email);
        }

        await page.GotoAsync(url);

        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
