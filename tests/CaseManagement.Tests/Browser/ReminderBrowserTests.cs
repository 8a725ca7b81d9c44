using System.Text.Json;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CaseManagement.Tests.Browser;

/// <summary>The reminders inbox in a real browser: badge, grouped list, done and snooze by keyboard, digest choice, accessibility.</summary>
public sealed class ReminderBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<List<string>> CasesWithoutContact(IPage page, string email, int count)
    {
        var login = await page.APIRequest.PostAsync("/api/v1/auth/login", new() { DataObject = new { email, password = "Demo!2026" } });
        var token = JsonDocument.Parse(await login.TextAsync()).RootElement.GetProperty("accessToken").GetString();
        var numbers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var created = await page.APIRequest.PostAsync("/api/v1/clients", new()
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
                DataObject = new
                {
                    firstName = "Ohne", lastName = $"Kontakt{i}", birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
                    housing = new { type = "FollowUpAccommodation", since = "2026-01-01" }, residenceStatus = new { kind = "RefugeeProtection" },
                },
            });
            numbers.Add(JsonDocument.Parse(await created.TextAsync()).RootElement.GetProperty("caseNumber").GetString()!);
        }

        // The daily run, as Hangfire would start it.
        await using var scope = browser.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseManagement.Storage.AppDbContext>();
        var organisation = await db.Organisations.Where(o => o.Name == "Stadt Musterstadt").Select(o => o.Id).SingleAsync();
        await scope.ServiceProvider.GetRequiredService<ReminderJobs>().ScanOrganisation(organisation, CancellationToken.None);
        return numbers;
    }

    [Fact]
    public async Task A_manager_works_through_the_inbox_by_keyboard()
    {
        var page = await browser.NewPageAsync();
        var numbers = await CasesWithoutContact(page, "im3@musterstadt.example", 2);
        await BrowserFixture.SignInAsync(page, "im3@musterstadt.example");

        var navigation = page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Erinnerungen") });
        await Assertions.Expect(navigation).ToContainTextAsync("2");
        await navigation.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Erinnerungen");
        // One line per case, with its reminders.
        await Assertions.Expect(page.GetByTestId("inbox-case")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("reminder")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("reminder").First).ToContainTextAsync("Lange kein Kontakt");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Lange kein Kontakt für Fall {numbers[0]} erledigt" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".notice[role=status]")).ToHaveTextAsync("Die Erinnerung ist erledigt.");
        await Assertions.Expect(page.GetByTestId("reminder")).ToHaveCountAsync(1);

        // Many at once: tick, postpone, confirm the count.
        await page.GetByTestId("reminder").Locator("input[type=checkbox]").CheckAsync();
        await page.GetByLabel("Ausgewählte zurückstellen bis").FillAsync(DateTime.Today.AddDays(14).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Ausgewählte zurückstellen" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-summary")).ToContainTextAsync("1 Erinnerung (1 Fall) bis");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, 1 Erinnerung zurückstellen" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("1 Erinnerung zurückgestellt bis");
        await Assertions.Expect(page.GetByTestId("no-reminders")).ToBeVisibleAsync();
        await Assertions.Expect(navigation).Not.ToContainTextAsync("1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Zusammenfassung bestellen" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("digest-status")).ToHaveTextAsync("Die Zusammenfassung ist bestellt.");
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}
