using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Ical.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Appointments;

/// <summary>Appointments end to end on real PostgreSQL: API, pages, refusals, access, funding report, reminder, calendar feed.</summary>
public sealed class AppointmentsTests(AppFixture app) : IClassFixture<AppFixture>, IDisposable
{
    /// <summary>A Monday; the clock says noon of it.</summary>
    private static readonly LocalDate Today = new(2026, 12, 7);

    public void Dispose() => app.Factory.Clock.Reset();

    private async Task<(HttpClient Client, Guid CaseId)> CaseOf(string email)
    {
        app.Factory.Clock.SetDay(Today);
        var client = await app.ClientFor(email);
        return (client, await CaseApi.NewCase(client));
    }

    /// <summary>POST with <c>If-Match</c>: the case's current version (or <paramref name="version"/> for a case the client may not read).</summary>
    private static async Task<HttpResponseMessage> Post(HttpClient client, Guid caseId, string url, object? body, long? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version ?? await Version(client, caseId)}\"");
        return await client.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Schedule(HttpClient client, Guid caseId, object body, long? version = null)
    {
        var response = await Post(client, caseId, $"/api/v1/clients/{caseId}/appointments", body, version);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement, response);
    }

    private static async Task<Guid> Scheduled(HttpClient client, Guid caseId, string start, string place = "HomeVisit", int minutes = 60, string? note = null)
    {
        var (status, body, _) = await Schedule(client, caseId, new { start, durationMinutes = minutes, place, interpreterNeeded = false, note });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("id").GetGuid();
    }

    private static async Task<long> Version(HttpClient client, Guid caseId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{caseId}")).GetProperty("version").GetInt64();

    [Fact]
    public async Task An_appointment_is_planned_through_the_API_and_shown_in_the_own_list_on_the_case_page_and_in_Meine_Faelle()
    {
        var (client, id) = await CaseOf("im1@musterstadt.example");
        using (client)
        {
            var (status, body, response) = await Schedule(client, id, new
            {
                start = "2026-12-09T09:30", durationMinutes = 45, place = "HomeVisit", interpreterNeeded = true, note = "Unterlagen Jobcenter mitbringen",
            });

            Assert.Equal(HttpStatusCode.Created, status);
            var appointmentId = body.GetProperty("id").GetGuid();
            Assert.Equal($"/api/v1/clients/{id}/appointments/{appointmentId}", response.Headers.Location!.AbsolutePath);
            var shown = await client.GetFromJsonAsync<JsonElement>(response.Headers.Location);
            Assert.Equal(("2026-12-09T09:30", "2026-12-09T10:15", "HomeVisit", true, "Scheduled"), (shown.GetProperty("start").GetString(), shown.GetProperty("end").GetString(),
                shown.GetProperty("place").GetString(), shown.GetProperty("interpreterNeeded").GetBoolean(), shown.GetProperty("status").GetString()));

            var mine = await client.GetFromJsonAsync<JsonElement>("/api/v1/appointments?from=2026-12-07&to=2026-12-13");
            var listed = Assert.Single(mine.EnumerateArray(), a => a.GetProperty("id").GetGuid() == appointmentId);
            Assert.Equal(id, listed.GetProperty("clientId").GetGuid());

            using var session = await app.SignedInAs("im1@musterstadt.example");
            var casePage = await session.GetPageAsync($"/faelle/{id}/termine");
            Assert.Equal("Nächster Termin: 09.12.2026 09:30 Uhr, 45 Min., Hausbesuch – mit Dolmetschung",
                string.Join(' ', casePage.QuerySelector("[data-testid=next-appointment]")!.TextContent.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries)));
            var caseNumber = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString();
            var row = (await session.GetPageAsync($"/faelle?search={caseNumber}")).QuerySelector("tbody tr")!;
            Assert.Equal("09.12.2026 09:30", row.QuerySelector("[data-testid=next-appointment]")!.TextContent);
        }
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { """{"durationMinutes":60,"place":"Office"}""", "start", "Bitte Datum und Uhrzeit des Termins angeben (TT.MM.JJJJ und SS:MM)." },
        { """{"start":"morgen früh","durationMinutes":60,"place":"Office"}""", "start", "Bitte Datum und Uhrzeit des Termins angeben (TT.MM.JJJJ und SS:MM)." },
        { """{"start":"9999-12-31T10:00","durationMinutes":60,"place":"Office"}""", "start", "Der Termin muss zwischen 07.12.2025 und 07.12.2028 liegen." },
        { """{"start":"2025-12-06T10:00","durationMinutes":60,"place":"Office"}""", "start", "Der Termin muss zwischen 07.12.2025 und 07.12.2028 liegen." },
        { """{"start":"2028-12-08T10:00","durationMinutes":60,"place":"Office"}""", "start", "Der Termin muss zwischen 07.12.2025 und 07.12.2028 liegen." },
        { """{"start":"2026-12-09T25:00","durationMinutes":60,"place":"Office"}""", "start", "Bitte Datum und Uhrzeit des Termins angeben (TT.MM.JJJJ und SS:MM)." },
        { """{"start":"2026-12-09T10:00","durationMinutes":4,"place":"Office"}""", "durationMinutes", "Bitte die Dauer in Minuten angeben (5 bis 480)." },
        { """{"start":"2026-12-09T10:00","durationMinutes":481,"place":"Office"}""", "durationMinutes", "Bitte die Dauer in Minuten angeben (5 bis 480)." },
        { """{"start":"2026-12-09T10:00","place":"Office"}""", "durationMinutes", "Bitte die Dauer in Minuten angeben (5 bis 480)." },
        { """{"start":"2026-12-09T10:00","durationMinutes":60}""", "place", "Bitte den Ort des Termins wählen." },
        { """{"start":"2026-12-09T10:00","durationMinutes":60,"place":"Office","note":"NOTE"}""", "note", "Die Notiz darf höchstens 1000 Zeichen lang sein." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Each_field_out_of_its_range_is_refused_in_German_next_to_the_field_and_nothing_is_stored(string json, string field, string message)
    {
        var (client, id) = await CaseOf("im1@musterstadt.example");
        using (client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{id}/appointments")
            {
                Content = new StringContent(json.Replace("NOTE", new string('x', 1001), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
            Assert.Equal(2, await Version(client, id));
            Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/appointments")).EnumerateArray());
        }
    }

    [Fact]
    public async Task An_undefined_place_or_a_NUL_character_is_a_4xx_and_nothing_is_stored()
    {
        var (client, id) = await CaseOf("im1@musterstadt.example");
        using (client)
        {
            var (place, _, _) = await Schedule(client, id, new { start = "2026-12-09T10:00", durationMinutes = 60, place = "Nowhere" });
            var (nul, _, _) = await Schedule(client, id, new { start = "2026-12-09T10:00", durationMinutes = 60, place = "Office", note = "a\0b" });

            Assert.InRange((int)place, 400, 499);
            Assert.InRange((int)nul, 400, 499);
            Assert.Equal(2, await Version(client, id));
        }
    }

    [Fact]
    public async Task Another_team_or_organisation_gets_404_and_sees_nothing_of_it_in_its_own_list()
    {
        var (client, id) = await CaseOf("im1@musterstadt.example");
        using (client)
        {
            var appointmentId = await Scheduled(client, id, "2026-12-10T10:00");
            foreach (var other in new[] { "im3@musterstadt.example", "im1@beispiel.example" })
            {
                using var stranger = await app.ClientFor(other);
                var (status, _, _) = await Schedule(stranger, id, new { start = "2026-12-09T10:00", durationMinutes = 60, place = "Office" }, 3);
                Assert.Equal(HttpStatusCode.NotFound, status);
                Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(new Uri($"/api/v1/clients/{id}/appointments", UriKind.Relative))).StatusCode);
                using var outcome = await Post(stranger, id, $"/api/v1/clients/{id}/appointments/{appointmentId}/outcome", new { outcome = "Missed" }, 3);
                Assert.Equal(HttpStatusCode.NotFound, outcome.StatusCode);
                var theirs = await stranger.GetFromJsonAsync<JsonElement>("/api/v1/appointments?from=2026-12-07&to=2026-12-13");
                Assert.DoesNotContain(theirs.EnumerateArray(), a => a.GetProperty("id").GetGuid() == appointmentId);
            }

            using var dpo = await app.ClientFor("dpo@musterstadt.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await Post(dpo, id, $"/api/v1/clients/{id}/appointments", new { start = "2026-12-09T10:00", durationMinutes = 60, place = "Office" }, 3)).StatusCode);
            Assert.Equal(3, await Version(client, id));
            using var withoutVersion = await client.PostAsJsonAsync($"/api/v1/clients/{id}/appointments", new { start = "2026-12-09T10:00", durationMinutes = 60, place = "Office" });
            Assert.Equal(HttpStatusCode.PreconditionRequired, withoutVersion.StatusCode);
            var (stale, _, _) = await Schedule(client, id, new { start = "2026-12-09T10:00", durationMinutes = 60, place = "Office" }, 2);
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale);
            Assert.Equal(3, await Version(client, id));
        }
    }

    [Theory]
    [InlineData("from=2026-12-13&to=2026-12-07")]
    [InlineData("from=2026-01-01&to=2027-01-02")]
    [InlineData("from=2026-12-07")]
    public async Task The_own_list_takes_at_most_366_days_and_refuses_anything_else_in_German(string query)
    {
        using var client = await app.ClientFor("im1@musterstadt.example");

        using var response = await client.GetAsync(new Uri($"/api/v1/appointments?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("Bitte", problem.GetProperty("errors").EnumerateObject().First().Value[0].GetString()!.Replace("Das Ende", "Bitte", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missed_appointment_is_not_counted_in_the_funding_report_and_one_that_took_place_counts_once()
    {
        var (client, id) = await CaseOf("im1@musterstadt.example");
        using (client)
        {
            using var lead = await app.ClientFor("lead@musterstadt.example");
            async Task<Dictionary<string, decimal>> Contacts() =>
                (await lead.GetFromJsonAsync<JsonElement>("/api/v1/reports/funding?from=2026-01-01&to=2026-12-31")).GetProperty("sections").EnumerateArray()
                .Single(s => s.GetProperty("key").GetString() == "consultations").GetProperty("lines").EnumerateArray()
                .ToDictionary(l => l.GetProperty("label").GetString()!, l => l.GetProperty("value").GetDecimal());
            var missed = await Scheduled(client, id, "2026-12-01T10:00", "HomeVisit", 60);
            var tookPlace = await Scheduled(client, id, "2026-12-02T10:00", "Phone", 30);
            var future = await Scheduled(client, id, "2026-12-20T10:00");
            var before = await Contacts();

            using var early = await Post(client, id, $"/api/v1/clients/{id}/appointments/{future}/outcome", new { outcome = "TookPlace" });
            using var markedMissed = await Post(client, id, $"/api/v1/clients/{id}/appointments/{missed}/outcome", new { outcome = "Missed" });
            var afterMissed = await Contacts();
            using var markedTookPlace = await Post(client, id, $"/api/v1/clients/{id}/appointments/{tookPlace}/outcome", new { outcome = "TookPlace" });
            using var twice = await Post(client, id, $"/api/v1/clients/{id}/appointments/{tookPlace}/outcome", new { outcome = "TookPlace" });
            var after = await Contacts();

            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            Assert.Equal(HttpStatusCode.OK, markedMissed.StatusCode);
            Assert.Equal(before["Anzahl"], afterMissed["Anzahl"]);
            Assert.Equal(HttpStatusCode.OK, markedTookPlace.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Equal(before["Anzahl"] + 1, after["Anzahl"]);
            Assert.Equal(before["Art: Telefon"] + 1, after["Art: Telefon"]);
            Assert.Equal(before["Art: Hausbesuch / aufsuchend"], after["Art: Hausbesuch / aufsuchend"]);
            var statuses = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/appointments")).EnumerateArray()
                .ToDictionary(a => a.GetProperty("id").GetGuid(), a => a.GetProperty("status").GetString());
            Assert.Equal(("Missed", "TookPlace", "Scheduled"), (statuses[missed], statuses[tookPlace], statuses[future]));
        }
    }

    [Fact]
    public async Task The_daily_run_reminds_the_manager_the_day_before_of_a_planned_appointment_only()
    {
        var (client, id) = await CaseOf("im1@musterstadt.example");
        using (client)
        {
            var tomorrow = await Scheduled(client, id, "2026-12-08T08:00");
            var cancelled = await Scheduled(client, id, "2026-12-08T14:00");
            await Scheduled(client, id, "2026-12-09T08:00");
            using (var cancel = await Post(client, id, $"/api/v1/clients/{id}/appointments/{cancelled}/cancel", null))
            {
                Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            }

            var organisation = await app.WithDb(db => db.Organisations.Where(o => o.Name == "Stadt Musterstadt").Select(o => o.Id).SingleAsync());
            await using (var scope = app.Factory.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ReminderJobs>().ScanOrganisation(organisation, CancellationToken.None);
            }

            var reminders = await app.WithDb(db => db.Reminders.Where(r => r.CaseId == id && r.Kind == nameof(ReminderKind.AppointmentTomorrow)).ToListAsync());
            var reminder = Assert.Single(reminders);
            var manager = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.Id).SingleAsync());
            Assert.Equal((tomorrow, new DateOnly(2026, 12, 7), manager), (reminder.SubjectId, reminder.DueOn, reminder.AssigneeId));
        }
    }

    [Fact]
    public async Task The_calendar_feed_names_case_number_and_place_never_the_client_or_the_note_and_a_new_link_revokes_the_old()
    {
        var (client, id) = await CaseOf("im3@musterstadt.example");
        using (client)
        {
            await Scheduled(client, id, "2026-12-09T09:30", "HomeVisit", 45, "Notiz-Geheimnis");
            var c = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
            using var session = await app.SignedInAs("im3@musterstadt.example");
            var url = await NewFeedUrl(session);
            using var anonymous = app.Factory.CreateClient(new() { AllowAutoRedirect = false });

            using var feed = await anonymous.GetAsync(new Uri(url));
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
            Assert.Equal("text/calendar", feed.Content.Headers.ContentType!.MediaType);
            var text = await feed.Content.ReadAsStringAsync();
            var calendar = Calendar.Load(text)!;
            var e = Assert.Single(calendar.Events, e => e.Summary!.Contains(c.GetProperty("caseNumber").GetString()!, StringComparison.Ordinal));
            Assert.Equal($"Termin Fall {c.GetProperty("caseNumber").GetString()} – Hausbesuch", e.Summary);
            Assert.Equal("Hausbesuch", e.Location);
            Assert.Equal(("Europe/Berlin", 9, 30), (e.DtStart!.TzId, e.DtStart.Hour, e.DtStart.Minute));
            Assert.Equal((10, 15), (e.DtEnd!.Hour, e.DtEnd.Minute));
            Assert.Contains("BEGIN:VTIMEZONE", text, StringComparison.Ordinal);
            Assert.DoesNotContain(c.GetProperty("lastName").GetString()!, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Notiz-Geheimnis", text, StringComparison.Ordinal);

            var token = url[(url.LastIndexOf('/') + 1)..^4];
            Assert.DoesNotContain(app.Factory.Logs.Entries, l => l.Message.Contains(token, StringComparison.Ordinal));
            Assert.Null(await app.WithDb(db => db.Database.SqlQueryRaw<string>("select encode(token_hash, 'escape') as \"Value\" from cases.calendar_feeds where encode(token_hash, 'escape') like {0}", "%" + token + "%").FirstOrDefaultAsync()));

            var renewed = await NewFeedUrl(session);
            Assert.NotEqual(url, renewed);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(url))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(renewed))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/kalender/" + new string('A', 43) + ".ics", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri("/kalender/kurz.ics", UriKind.Relative))).StatusCode);

            var page = await session.GetPageAsync("/termine");
            await AssertRedirectAsync(await session.SubmitAsync(page, "/termine/kalender-link/widerrufen", []));
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(renewed))).StatusCode);
        }
    }

    [Fact]
    public async Task The_feed_of_a_deactivated_account_is_gone()
    {
        var (userId, email) = await app.CreateManagerAsync("kalender");
        using var session = await app.SignedInAs(email, AppFixture.UserPassword);
        var url = await NewFeedUrl(session);
        using var anonymous = app.Factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(url))).StatusCode);

        await app.WithDb(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == userId);
            user.IsActive = false;
            return await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(new Uri(url))).StatusCode);
    }

    private static async Task<string> NewFeedUrl(WebSession session)
    {
        var page = await session.GetPageAsync("/termine");
        var shown = await session.FollowAsync(await session.SubmitAsync(page, "/termine/kalender-link", []));
        Assert.Equal("Ein neuer Kalender-Link ist erzeugt; der bisherige funktioniert nicht mehr.", shown.QuerySelector(".notice[role=status]")!.TextContent);
        var url = shown.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("[data-testid=feed-url]")!.Value;
        Assert.Matches("/kalender/[A-Za-z0-9_-]{43}\\.ics$", url);
        return url;
    }

    [Fact]
    public async Task On_the_case_page_a_wrong_entry_is_shown_next_to_the_field_and_a_right_one_is_confirmed_and_in_the_week()
    {
        var (client, id) = await CaseOf("im1@musterstadt.example");
        using (client)
        {
            using var session = await app.SignedInAs("im1@musterstadt.example");
            var page = $"/faelle/{id}";

            var refused = await ParseAsync(await session.PostFormAsync($"{page}/termine", $"{page}/termine", Fields(
                ("Version", "2"), ("Start", "2026-12-10T11:00"), ("DurationMinutes", "600"), ("Place", "Office"))));
            Assert.Equal(["Bitte die Dauer in Minuten angeben (5 bis 480)."],
                refused.QuerySelectorAll("[data-testid=appointments] .field-error").Select(e => e.TextContent).Where(t => t.Length > 0));
            Assert.Equal("2026-12-10T11:00", refused.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#Start")!.Value);
            Assert.Equal(2, await Version(client, id));

            var shown = await session.FollowAsync(await session.PostFormAsync($"{page}/termine", $"{page}/termine", Fields(
                ("Version", "2"), ("Start", "2026-12-10T11:00"), ("DurationMinutes", "30"), ("Place", "Video"), ("InterpreterNeeded", "true"))));
            Assert.Equal("Der Termin ist geplant.", shown.QuerySelector(".notice[role=status]")!.TextContent);
            Assert.Contains((await session.GetPageAsync($"{page}/verlauf")).QuerySelectorAll("[data-testid=timeline] td"), td => td.TextContent == "Termin geplant am 10.12.2026 um 11:00 Uhr (30 Min., Video)");

            var week = await session.GetPageAsync("/termine?woche=2026-12-09");
            Assert.Equal(7, week.QuerySelectorAll("[data-testid=week] > [data-testid=day]").Length);
            var thursday = week.QuerySelectorAll("[data-testid=day]")[3];
            Assert.StartsWith("Donnerstag, 10.12.2026", thursday.QuerySelector("h2")!.TextContent, StringComparison.Ordinal);
            Assert.Contains(thursday.QuerySelectorAll("[data-testid=appointment]"), a => a.TextContent.Contains("11:00–11:30", StringComparison.Ordinal)
                && a.TextContent.Contains("Video", StringComparison.Ordinal));
            Assert.Equal("/termine?woche=2026-12-14", week.QuerySelector("a[rel=next]")!.GetAttribute("href"));
            var list = await session.GetPageAsync("/termine?woche=2026-12-09&ansicht=liste");
            Assert.Contains(list.QuerySelectorAll("[data-testid=appointment-list] [data-testid=appointment]"), a => a.TextContent.Contains("11:00–11:30", StringComparison.Ordinal));
        }
    }
}
