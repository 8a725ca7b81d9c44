using System.Globalization;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>
/// The case page of a busy case (20 goals, 100 consultations) at 1280×800: how tall it is and how many clicks it
/// takes from "Meine Fälle" to "goal updated and back". The figures go to the output (and docs/user-guide.md).
/// </summary>
public sealed class CasePageSizeBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <summary>A case of im1 with <paramref name="goals"/> goals and <paramref name="consultations"/> consultations, made through the API.</summary>
    public static async Task<(string Id, string LastName, string FirstGoalId)> BusyCase(IPage page, string email, int goals, int consultations)
    {
        ArgumentNullException.ThrowIfNull(page);
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email, password = "Demo!2026" } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };
        var lastName = "Viel" + Guid.NewGuid().ToString("N")[..8];
        var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
        {
            Headers = headers,
            DataObject = new
            {
                firstName = "Vera", lastName, birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
                housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
            },
        });
        var body = JsonDocument.Parse(await created.TextAsync()).RootElement;
        var id = body.GetProperty("id").GetString()!;
        var version = body.GetProperty("version").GetInt64();
        string? firstGoal = null;

        async Task<JsonElement> Post(string url, object data)
        {
            var response = await page.APIRequest.PostAsync(url, new()
            {
                Headers = new Dictionary<string, string>(headers) { ["If-Match"] = $"\"{version}\"" },
                DataObject = data,
            });
            var text = await response.TextAsync();
            Assert.True(response.Ok, $"{url}: {response.Status} {text}");
            var json = JsonDocument.Parse(text).RootElement;
            version = json.GetProperty("version").GetInt64();
            return json;
        }

        for (var i = 0; i < goals; i++)
        {
            var goal = await Post($"/api/v1/clients/{id}/goals", new
            {
                field = i % 2 == 0 ? "LabourMarket" : "Language", text = $"Ziel Nummer {i + 1}: einen Schritt weiterkommen", agreedOn = "2026-03-01",
                targetDate = "2027-06-30",
            });
            firstGoal ??= goal.GetProperty("goalId").GetString();
        }

        for (var i = 0; i < consultations; i++)
        {
            var day = new DateOnly(2026, 2, 2).AddDays(i * 2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await Post($"/api/v1/clients/{id}/consultations", new
            {
                date = day, durationMinutes = 45, mode = "Office", fields = new[] { "LabourMarket" }, note = $"Beratung {i + 1}: Unterlagen besprochen.",
            });
        }

        return (id, lastName, firstGoal ?? "");
    }

    /// <summary>A laptop screen (1280×800), German.</summary>
    private async Task<IPage> LaptopAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task Busy_case_page_height_at_1280x800()
    {
        var page = await LaptopAsync();
        var (id, _, _) = await BusyCase(page, "im1@musterstadt.example", goals: 20, consultations: 100);
        await BrowserFixture.SignInAsync(page, "im1@musterstadt.example");

        foreach (var url in new[] { $"/faelle/{id}", $"/faelle/{id}/plan", $"/faelle/{id}/beratungen", $"/faelle/{id}/verlauf" })
        {
            var response = await page.GotoAsync(url);
            var height = await page.EvaluateAsync<int>("() => document.body.scrollHeight");
            var section = url[(url.IndexOf(id, StringComparison.Ordinal) + id.Length)..];
            output.WriteLine($"MEASURE {(section.Length > 0 ? section : "/")}: HTTP {response?.Status}, document.body.scrollHeight = {height} px");
        }
    }

    [Fact]
    public async Task Saving_a_goal_returns_to_the_goal_with_the_confirmation_and_the_highlight()
    {
        var page = await LaptopAsync();
        var (id, lastName, goalId) = await BusyCase(page, "im1@musterstadt.example", goals: 20, consultations: 100);
        await BrowserFixture.SignInAsync(page, "im1@musterstadt.example");

        // From "Meine Fälle" (found by the search field) to the goal updated and back: every click counted.
        var clicks = 0;
        await page.GotoAsync($"/faelle?search={lastName}");
        await page.GetByRole(AriaRole.Link, new() { Name = $"{lastName}, Vera" }).ClickAsync();
        clicks++;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Vera {lastName}");
        await page.Locator(".case-tabs").GetByRole(AriaRole.Link, new() { Name = "Plan", Exact = true }).ClickAsync();
        clicks++;
        var goal = page.Locator($"#ziel-{goalId}");
        await goal.GetByLabel("Neuer Stand").SelectOptionAsync(new SelectOptionValue { Label = "in Arbeit" });
        await goal.GetByRole(AriaRole.Button, new() { Name = "Stand speichern" }).ClickAsync();
        clicks++;

        await Assertions.Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Der Stand des Ziels ist gespeichert.");
        await Assertions.Expect(goal).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("just-saved"));
        await Assertions.Expect(goal.GetByTestId("goal-status")).ToHaveTextAsync("in Arbeit");
        Assert.EndsWith($"/faelle/{id}/plan#ziel-{goalId}", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("message", page.Url, StringComparison.OrdinalIgnoreCase);
        var inView = await page.EvaluateAsync<bool>($"() => {{ const r = document.getElementById('ziel-{goalId}').getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }}");
        Assert.True(inView, "The saved goal is not in view after the save.");
        var goalTop = await page.EvaluateAsync<int>($"() => Math.round(document.getElementById('ziel-{goalId}').getBoundingClientRect().top + scrollY)");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Zurück zu Meine Fälle" }).ClickAsync();
        clicks++;
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Meine Fälle");
        output.WriteLine($"MEASURE clicks from Meine Fälle to goal updated and back: {clicks} (the goal stands at y = {goalTop} px of the plan section; after the save the page opens there)");

        // Keyboard: the tabs are links in the tab order, the current one marked.
        await page.GotoAsync($"/faelle/{id}");
        await page.Locator(".case-tabs a").First.FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".case-tabs a[aria-current=page]")).ToHaveTextAsync("Plan");
    }

    [Fact]
    public async Task Every_section_fits_a_phone_and_is_accessible()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(), Locale = "de-DE", ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true,
        });
        var page = await context.NewPageAsync();
        var (id, _, _) = await BusyCase(page, "im1@musterstadt.example", goals: 3, consultations: 25);
        await BrowserFixture.SignInAsync(page, "im1@musterstadt.example");

        foreach (var section in new[] { "", "/plan", "/beratungen", "/termine", "/erinnerungen", "/dokumente", "/verlauf", "/datenschutz" })
        {
            await page.GotoAsync($"/faelle/{id}{section}");
            await Assertions.Expect(page.Locator(".case-tabs a[aria-current=page]")).ToHaveCountAsync(1);
            await QuickNoteBrowserTests.AssertFitsAsync(page, $"Fallseite {section}");
        }

        await page.GotoAsync($"/faelle/{id}/beratungen");
        await page.GetByTestId("more").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=pager] a[aria-current=page]")).ToContainTextAsync("2");
        await Assertions.Expect(page.Locator("[data-testid=consultations] tbody tr")).ToHaveCountAsync(5);
    }
}
