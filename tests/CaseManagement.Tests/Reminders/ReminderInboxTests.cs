using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Reminders;

/// <summary>The reminder scan on real PostgreSQL (exactly once, follows reassignment, resolves on close) and the inbox.</summary>
public sealed class ReminderInboxTests(AppFixture app) : IClassFixture<AppFixture>, IDisposable
{
    private static readonly LocalDate Today = new(2026, 6, 15);

    public void Dispose() => app.Factory.Clock.Reset();

    private async Task<Guid> Organisation() => await app.WithDb(db => db.Organisations.Where(o => o.Name == "Stadt Musterstadt").Select(o => o.Id).SingleAsync());

    private async Task<int> Scan()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync(await Organisation(), CancellationToken.None);
    }

    private async Task<List<Reminder>> RemindersOf(Guid caseId) => await app.WithDb(db => db.Reminders.Where(r => r.CaseId == caseId).ToListAsync());

    /// <summary>A case whose goal's target date (01.06.2026) has passed on the test day.</summary>
    private async Task<(HttpClient Client, Guid CaseId)> CaseWithPassedTarget(string email = "im1@musterstadt.example")
    {
        app.Factory.Clock.SetDay(Today);
        var client = await app.ClientFor(email);
        var id = await CaseApi.NewCase(client, supportStart: "2026-05-01");
        await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/consultations", new { date = "2026-06-01", durationMinutes = 30, mode = "Phone" }, 2);
        var (status, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Housing", text = "Wohnung finden", agreedOn = "2026-05-02", targetDate = "2026-06-01" }, 3);
        Assert.Equal(HttpStatusCode.Created, status);
        return (client, id);
    }

    [Fact]
    public async Task Running_the_scan_twice_or_twice_at_once_creates_each_reminder_once()
    {
        var (client, id) = await CaseWithPassedTarget();
        using (client)
        {
            await Scan();
            await Scan();
            await Task.WhenAll(Scan(), Scan(), Scan());

            var reminder = Assert.Single(await RemindersOf(id));
            Assert.Equal((nameof(ReminderKind.GoalTargetReached), new DateOnly(2026, 6, 1)), (reminder.Kind, reminder.DueOn));
        }
    }

    [Fact]
    public async Task The_inbox_lists_own_reminders_and_done_and_snooze_put_them_away()
    {
        var (client, id) = await CaseWithPassedTarget();
        using (client)
        {
            await Scan();
            var inbox = await client.GetFromJsonAsync<JsonElement>("/api/v1/reminders");
            var item = inbox.EnumerateArray().Single(i => i.GetProperty("caseId").GetGuid() == id);
            Assert.Equal(("GoalTargetReached", "Zieltermin erreicht", "2026-06-01"), (item.GetProperty("kind").GetString(), item.GetProperty("label").GetString(), item.GetProperty("dueOn").GetString()));
            var reminderId = item.GetProperty("id").GetGuid();

            using var colleague = await app.ClientFor("im2@musterstadt.example");
            Assert.DoesNotContain((await colleague.GetFromJsonAsync<JsonElement>("/api/v1/reminders")).EnumerateArray(), i => i.GetProperty("id").GetGuid() == reminderId);
            Assert.Equal(HttpStatusCode.NotFound, (await colleague.PostAsJsonAsync($"/api/v1/reminders/{reminderId}/done", new { })).StatusCode);

            using (var invalid = await client.PostAsJsonAsync($"/api/v1/reminders/{reminderId}/snooze", new { until = "2026-06-15" }))
            {
                Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
            }

            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/reminders/{reminderId}/snooze", new { until = "2026-06-18" })).StatusCode);
            Assert.DoesNotContain((await client.GetFromJsonAsync<JsonElement>("/api/v1/reminders")).EnumerateArray(), i => i.GetProperty("id").GetGuid() == reminderId);
            app.Factory.Clock.SetDay(new LocalDate(2026, 6, 18));
            Assert.Contains((await client.GetFromJsonAsync<JsonElement>("/api/v1/reminders")).EnumerateArray(), i => i.GetProperty("id").GetGuid() == reminderId);

            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/reminders/{reminderId}/done", new { })).StatusCode);
            Assert.DoesNotContain((await client.GetFromJsonAsync<JsonElement>("/api/v1/reminders")).EnumerateArray(), i => i.GetProperty("id").GetGuid() == reminderId);
            await Scan();
            Assert.Single(await RemindersOf(id));
        }
    }

    [Fact]
    public async Task Open_reminders_follow_a_reassigned_case_and_a_closed_case_resolves_them()
    {
        var (client, moved) = await CaseWithPassedTarget();
        var (_, closed) = await CaseWithPassedTarget();
        using (client)
        {
            await Scan();
            var im2 = await app.WithDb(db => db.Users.Where(u => u.Email == "im2@musterstadt.example").Select(u => u.Id).SingleAsync());
            using var lead = await app.ClientFor("lead@musterstadt.example");
            Assert.Equal(HttpStatusCode.OK, (await lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { moved }, toManagerId = im2 })).StatusCode);
            var (status, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{closed}/close", new { reason = "MovedAway", closedOn = "2026-06-10" }, 4);
            Assert.Equal(HttpStatusCode.OK, status);

            await Scan();

            Assert.Equal(im2, Assert.Single(await RemindersOf(moved)).AssigneeId);
            Assert.NotNull(Assert.Single(await RemindersOf(closed)).DoneAt);
        }
    }

    [Fact]
    public async Task A_request_waiting_five_working_days_reminds_the_lead()
    {
        app.Factory.Clock.SetDay(new LocalDate(2026, 3, 20));
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(manager, residence: "TrainingToleration", supportStart: "2026-02-01");
        await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/individual-decision", new { justification = "Ausbildung läuft gut, Betrieb will übernehmen." }, 2);

        app.Factory.Clock.SetDay(new LocalDate(2026, 3, 26));
        await Scan();
        Assert.DoesNotContain(await RemindersOf(id), r => r.Kind == nameof(ReminderKind.ApprovalWaiting));

        app.Factory.Clock.SetDay(new LocalDate(2026, 3, 27));
        await Scan();
        var lead = await app.WithDb(db => db.Users.Where(u => u.Email == "lead@musterstadt.example").Select(u => u.Id).SingleAsync());
        Assert.Equal(lead, (await RemindersOf(id)).Single(r => r.Kind == nameof(ReminderKind.ApprovalWaiting)).AssigneeId);
    }

    [Fact]
    public async Task The_page_groups_by_case_links_to_the_case_and_marks_done()
    {
        var (client, id) = await CaseWithPassedTarget("im3@musterstadt.example");
        using (client)
        {
            await Scan();
            using var session = await app.SignedInAs("im3@musterstadt.example");
            var page = await session.GetPageAsync("/erinnerungen");
            var row = page.QuerySelectorAll("[data-testid=inbox-case]").Single(tr => tr.QuerySelector("th a")!.GetAttribute("href") == $"/faelle/{id}");
            var item = Assert.Single(row.QuerySelectorAll("[data-testid=reminder]"));
            Assert.Equal("Zieltermin erreicht, fällig am 01.06.2026 (überfällig)", Squeezed(item.QuerySelector("label")!.TextContent));
            var done = item.QuerySelector("form[action$='/erledigt']")!.GetAttribute("action")!;
            var badge = int.Parse(page.QuerySelector("[data-testid=reminder-badge] [aria-hidden]")!.TextContent, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(page.QuerySelectorAll("[data-testid=reminder]").Length, badge);

            var after = await session.FollowAsync(await session.SubmitAsync(page, done, []));
            Assert.Equal(badge - 1, after.QuerySelector("[data-testid=reminder-badge] [aria-hidden]") is { } left
                ? int.Parse(left.TextContent, System.Globalization.CultureInfo.InvariantCulture) : 0);
            Assert.Equal("Die Erinnerung ist erledigt.", after.QuerySelector(".notice")!.TextContent);
            Assert.DoesNotContain(after.QuerySelectorAll("[data-testid=inbox-case] th a"), a => a.GetAttribute("href") == $"/faelle/{id}");
        }
    }

    private static string Squeezed(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    private static async Task<Guid> ReminderOf(HttpClient client, Guid caseId) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/reminders")).EnumerateArray().Single(i => i.GetProperty("caseId").GetGuid() == caseId).GetProperty("id").GetGuid();

    private static List<string> InboxCaseRows(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll("[data-testid=inbox-case]").Select(r => r.QuerySelector("th")!.TextContent).ToList();

    [Fact]
    public async Task The_inbox_page_groups_by_case_filters_and_clears_many_reminders_after_a_confirmation()
    {
        var (client, first) = await CaseWithPassedTarget();
        var (_, second) = await CaseWithPassedTarget();
        var (_, third) = await CaseWithPassedTarget();
        var (colleague, foreign) = await CaseWithPassedTarget("im2@musterstadt.example");
        using (client)
        using (colleague)
        {
            await Scan();
            var numbers = new Dictionary<Guid, string>();
            foreach (var id in new[] { first, second, third })
            {
                numbers[id] = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString()!;
            }

            using var session = await app.SignedInAs("im1@musterstadt.example");
            var page = await session.GetPageAsync("/erinnerungen");
            var rows = InboxCaseRows(page);
            Assert.All(numbers.Values, n => Assert.Single(rows, r => r.Contains(n, StringComparison.Ordinal)));
            Assert.NotNull(page.QuerySelector($"#filter-case option[value='{first}']"));

            // Filters: by case, by kind and due range.
            var byCase = await session.GetPageAsync($"/erinnerungen?case={first}");
            Assert.Single(InboxCaseRows(byCase));
            var byRange = InboxCaseRows(await session.GetPageAsync("/erinnerungen?kind=GoalTargetReached&from=2026-06-01&to=2026-06-01"));
            Assert.All(numbers.Values, n => Assert.Contains(byRange, r => r.Contains(n, StringComparison.Ordinal)));
            var before = InboxCaseRows(await session.GetPageAsync("/erinnerungen?to=2026-05-31"));
            Assert.DoesNotContain(before, r => numbers.Values.Any(n => r.Contains(n, StringComparison.Ordinal)));

            // Bulk done: a confirmation with the count; cancel changes nothing.
            var ids = new[] { await ReminderOf(client, first), await ReminderOf(client, second) };
            var confirm = await ParseAsync(await session.SubmitAsync(page, "/erinnerungen/auswahl",
                ids.Select(i => new KeyValuePair<string, string>("ids", i.ToString())).Append(new("todo", "done"))));
            Assert.Equal("2 Erinnerungen (2 Fälle) als erledigt markieren.", Squeezed(confirm.QuerySelector("[data-testid=confirm-summary]")!.TextContent));
            await session.GetPageAsync(confirm.QuerySelector("[data-testid=confirm-cancel]")!.GetAttribute("href")!);
            Assert.All(await RemindersOf(first), r => Assert.Null(r.DoneAt));

            var done = await session.FollowAsync(await session.SubmitAsync(confirm, "/erinnerungen/auswahl/bestaetigen", FormFields(confirm, "/erinnerungen/auswahl/bestaetigen")));
            Assert.Equal("2 Erinnerungen erledigt.", done.QuerySelector(".notice[role=status]")!.TextContent);
            Assert.DoesNotContain(InboxCaseRows(done), r => r.Contains(numbers[first], StringComparison.Ordinal) || r.Contains(numbers[second], StringComparison.Ordinal));

            // Bulk postpone with a day.
            var snooze = await ParseAsync(await session.SubmitAsync(done, "/erinnerungen/auswahl",
                Fields(("ids", (await ReminderOf(client, third)).ToString()), ("todo", "snooze"), ("until", "2026-06-18"))));
            Assert.Equal("1 Erinnerung (1 Fall) bis 18.06.2026 zurückstellen.", Squeezed(snooze.QuerySelector("[data-testid=confirm-summary]")!.TextContent));
            var snoozed = await session.FollowAsync(await session.SubmitAsync(snooze, "/erinnerungen/auswahl/bestaetigen", FormFields(snooze, "/erinnerungen/auswahl/bestaetigen")));
            Assert.Equal("1 Erinnerung zurückgestellt bis 18.06.2026.", snoozed.QuerySelector(".notice[role=status]")!.TextContent);
            Assert.Equal(new DateOnly(2026, 6, 18), Assert.Single(await RemindersOf(third)).SnoozedUntil);

            // Someone else's reminder in the selection: not found, and nothing changes.
            var foreignId = await ReminderOf(colleague, foreign);
            using var crafted = await session.PostCraftedAsync("/erinnerungen", "/erinnerungen/auswahl/bestaetigen", Fields(("ids", foreignId.ToString()), ("todo", "done")));
            Assert.Equal(HttpStatusCode.NotFound, crafted.StatusCode);
            Assert.Null(Assert.Single(await RemindersOf(foreign)).DoneAt);
        }
    }
}
