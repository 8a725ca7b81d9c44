using System.Text.Json;
using System.Text.RegularExpressions;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>
/// Everyday documentation in a real browser: the quick note from "Meine Fälle" by keyboard, text templates inserted with
/// their placeholders filled in, and the case page, the list and the quick note on a phone (390 px) with axe.
/// </summary>
public sealed partial class QuickNoteBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Opens a case for the manager through the API; returns its id and last name (unique).</summary>
    private static async Task<(string Id, string LastName)> OpenCase(IPage page, string email, string firstName)
    {
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email, password = "Demo!2026" } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        var lastName = "Kurz" + Guid.NewGuid().ToString("N")[..8];
        var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
            DataObject = new
            {
                firstName, lastName, birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
                housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
            },
        });
        return (JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("id").GetString()!, lastName);
    }

    /// <summary>Signs the manager in and creates a text template on the profile page (as the manager would); stays on that page.</summary>
    private static async Task CreateTemplateAsync(IPage page, string email, string name, string text)
    {
        await BrowserFixture.SignInAsync(page, email);
        await page.GotoAsync("/profil/textbausteine");
        await page.GetByLabel("Kurzname").Last.FillAsync(name);
        await page.GetByLabel("Text", new() { Exact = true }).Last.FillAsync(text);
        await page.GetByRole(AriaRole.Button, new() { Name = "Textbaustein anlegen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Der Textbaustein ist angelegt.");
    }

    [Fact]
    public async Task A_manager_records_a_quick_note_from_the_list_by_keyboard_and_stays_on_the_list()
    {
        var page = await browser.NewPageAsync();
        var (id, lastName) = await OpenCase(page, "im2@musterstadt.example", "Amina");
        await BrowserFixture.SignInAsync(page, "im2@musterstadt.example");
        await page.GotoAsync($"/faelle?search={lastName}");

        var row = page.Locator($"#fall-{Guid.Parse(id):N}");
        await row.Locator("details.quick-note > summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // Opened by keyboard: the focus is on the first field (the mode).
        await Assertions.Expect(row.GetByLabel("Art", new() { Exact = true })).ToBeFocusedAsync();
        await row.GetByLabel("Art", new() { Exact = true }).SelectOptionAsync("HomeVisit");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("40");
        await row.GetByLabel("Wohnen", new() { Exact = true }).CheckAsync();
        await row.GetByLabel("Notiz", new() { Exact = true }).FillAsync("Hausbesuch, Mietvertrag besprochen");
        await row.GetByLabel("Notiz", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Control+Enter");

        await Assertions.Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Die Kurznotiz ist als Beratungskontakt erfasst.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Meine Fälle");
        Assert.EndsWith($"#fall-{Guid.Parse(id):N}", page.Url, StringComparison.Ordinal);
        Assert.Contains($"search={lastName}", page.Url, StringComparison.Ordinal);
        // Remembered for the next one.
        await Assertions.Expect(row.GetByLabel("Art", new() { Exact = true })).ToHaveValueAsync("HomeVisit");
        await Assertions.Expect(row.GetByLabel("Minuten", new() { Exact = true })).ToHaveValueAsync("40");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GotoAsync($"/faelle/{id}/beratungen");
        await Assertions.Expect(page.GetByTestId("consultations")).ToContainTextAsync("Hausbesuch, Mietvertrag besprochen");
        await Assertions.Expect(page.GetByTestId("consultations")).ToContainTextAsync("40 Min.");
    }

    [Fact]
    public async Task A_template_is_inserted_by_its_name_with_the_first_name_and_todays_date()
    {
        var page = await browser.NewPageAsync();
        var (id, _) = await OpenCase(page, "im1@musterstadt.example", "Yusuf");
        await CreateTemplateAsync(page, "im1@musterstadt.example", "anruf", "{Vorname} am {Datum} angerufen.");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GotoAsync($"/faelle/{id}");
        var note = page.Locator("#quick-note-note");
        await page.Locator("details.quick-note > summary").First.ClickAsync();
        await note.FocusAsync();
        await page.Keyboard.TypeAsync("Kurz: ::an");
        var listbox = page.GetByRole(AriaRole.Listbox, new() { Name = "Textbausteine" });
        await Assertions.Expect(listbox.GetByRole(AriaRole.Option)).ToContainTextAsync(["::anruf"]);
        await Assertions.Expect(note).ToHaveAttributeAsync("aria-activedescendant", new Regex("template-suggestions"));
        await Assertions.Expect(page.GetByTestId("template-announcement")).ToContainTextAsync("Tab oder Enter");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Keyboard.PressAsync("Tab");

        var today = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(CaseManagement.Common.Time.Berlin).Date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(note).ToHaveValueAsync($"Kurz: Yusuf am {today} angerufen.");
        await Assertions.Expect(note).ToBeFocusedAsync();
        await Assertions.Expect(listbox).ToBeHiddenAsync();

        // The same in another free-text field (a goal's text); Enter inserts there too.
        await page.GotoAsync($"/faelle/{id}/plan");
        await page.GetByText("Ziel vereinbaren", new() { Exact = true }).First.ClickAsync();
        var goal = page.Locator("#goal-text");
        await goal.FocusAsync();
        await page.Keyboard.TypeAsync("::anruf");
        await Assertions.Expect(page.Locator("#goal-text + .template-suggestions")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(goal).ToHaveValueAsync($"Yusuf am {today} angerufen.");
    }

    /// <summary>
    /// Regression (a clean-clone run of the suite): when the first load of the templates failed, the page kept an empty list
    /// and "::" found nothing until it was reloaded. A failed load is now tried again.
    /// </summary>
    [Fact]
    public async Task A_template_list_that_failed_to_load_once_is_loaded_again()
    {
        var page = await browser.NewPageAsync();
        var (id, _) = await OpenCase(page, "im3@musterstadt.example", "Lejla");
        await CreateTemplateAsync(page, "im3@musterstadt.example", "termin", "Termin mit {Vorname} vereinbart.");

        var loads = 0;
        await page.RouteAsync("**/profil/textbausteine/einfuegbar", async route =>
        {
            if (Interlocked.Increment(ref loads) == 1)
            {
                await route.AbortAsync("connectionreset");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.GotoAsync($"/faelle/{id}");
        await page.Locator("details.quick-note > summary").First.ClickAsync();
        var note = page.Locator("#quick-note-note");
        await note.FocusAsync();
        await page.Keyboard.TypeAsync("::ter");
        var listbox = page.GetByRole(AriaRole.Listbox, new() { Name = "Textbausteine" });
        await Assertions.Expect(listbox.GetByRole(AriaRole.Option)).ToContainTextAsync(["::termin"]);
        Assert.Equal(2, Volatile.Read(ref loads));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(note).ToHaveValueAsync("Termin mit Lejla vereinbart.");
    }

    [Fact]
    public async Task On_a_phone_the_list_the_case_page_and_the_quick_note_fit_without_scrolling_sideways()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(), Locale = "en-US", ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        var (id, lastName) = await OpenCase(page, "im3@musterstadt.example", "Olena");
        await BrowserFixture.SignInAsync(page, "im3@musterstadt.example");

        await page.GotoAsync("/faelle");
        await AssertFitsAsync(page, "Meine Fälle");
        await page.GotoAsync($"/faelle?search={lastName}");
        await page.Locator($"#fall-{Guid.Parse(id):N} summary").ClickAsync();
        await AssertFitsAsync(page, "Meine Fälle mit offener Kurznotiz");
        await page.Locator($"#fall-{Guid.Parse(id):N}").GetByLabel("Art", new() { Exact = true }).SelectOptionAsync("Phone");
        await page.Locator($"#fall-{Guid.Parse(id):N}").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Kurznotiz speichern") }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Die Kurznotiz ist als Beratungskontakt erfasst.");
        await AssertFitsAsync(page, "Meine Fälle nach dem Speichern");

        await page.GotoAsync($"/faelle/{id}");
        await AssertFitsAsync(page, "Fallseite");
        await page.Locator("details.quick-note > summary").First.ClickAsync();
        await AssertFitsAsync(page, "Fallseite mit offener Kurznotiz");
    }

    /// <summary>No horizontal scrolling, every visible button, link and summary at least 44 px high and wide (WCAG 2.5.5), and axe clean.</summary>
    internal static async Task AssertFitsAsync(IPage page, string what)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"{what}: {width} px breit");
        var small = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('main a, main button, main summary, nav a, header a, header button, footer button')]
            .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('.visually-hidden') && r.right > 0 && r.left < 390; })
            .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
            .map(e => `${e.tagName} '${e.textContent.trim().slice(0, 40)}' ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`)");
        Assert.True(small.Length == 0, $"{what}: zu kleine Ziele: {string.Join("; ", small)}");
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
