using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Cases;

public sealed class CaseLifecycleTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_case_is_paused_resumed_closed_and_reopened_and_a_closed_case_refuses_changes()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        var url = $"/api/v1/clients/{id}";

        var paused = await CaseApi.PostVersioned(client, $"{url}/pause", new { note = "Krankenhaus" }, 2);
        Assert.Equal((HttpStatusCode.OK, "Paused"), (paused.Status, paused.Body.GetProperty("status").GetString()));
        var resumed = await CaseApi.PostVersioned(client, $"{url}/resume", null, 3);
        Assert.Equal("Open", resumed.Body.GetProperty("status").GetString());
        var closed = await CaseApi.PostVersioned(client, $"{url}/close", new { reason = "GoalsReached" }, 4);
        Assert.Equal("Closed", closed.Body.GetProperty("status").GetString());

        var refused = await CaseApi.PostVersioned(client, $"{url}/housing", new { type = "PrivateHousing", since = "2026-11-01" }, 5);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status); // refused: closed
        Assert.Equal("closed", refused.Body.GetProperty("code").GetString());
        Assert.Contains("Der Fall ist abgeschlossen; bitte zuerst wieder eröffnen.", refused.Body.ToString(), StringComparison.Ordinal);

        var reopened = await CaseApi.PostVersioned(client, $"{url}/reopen", new { note = "Neue Fragen" }, 5);
        Assert.Equal(("Open", 6L), (reopened.Body.GetProperty("status").GetString(), reopened.Body.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Closing_for_another_reason_needs_a_note_and_invalid_transitions_are_explained()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        var noNote = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/close", new { reason = "Other" }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noNote.Status);
        Assert.Contains("Bei „Sonstiges“ bitte den Grund kurz beschreiben.", noNote.Body.ToString(), StringComparison.Ordinal);
        var resumeOpen = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/resume", null, 2);
        Assert.Contains("Nur ein ruhender Fall kann fortgesetzt werden.", resumeOpen.Body.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_manager_requests_an_individual_decision_and_an_extension_in_the_UI_and_sees_them_pending()
    {
        using var api = await app.ClientFor("im3@musterstadt.example");
        var id = await CaseApi.NewCase(api, residence: "TrainingToleration");
        using var session = await app.SignedInAs("im3@musterstadt.example");
        var page = $"/faelle/{id}";

        var tooShort = await ParseAsync(await session.PostFormAsync(page, $"{page}/einzelfallentscheidung", Fields(("Version", "2"), ("Justification", "kurz"))));
        Assert.Contains("Bitte schriftlich begründen (mindestens 20 Zeichen).", tooShort.ErrorMessages());
        Assert.Equal("kurz", tooShort.QuerySelector("#decision-justification")!.TextContent);

        var requested = await session.FollowAsync(await session.PostFormAsync(page, $"{page}/einzelfallentscheidung",
            Fields(("Version", "2"), ("Justification", "Ausbildung zur Pflegefachkraft, 2. Lehrjahr, Prognose gut."))));
        Assert.Equal("Die Einzelfallentscheidung liegt der Teamleitung vor.", requested.QuerySelector("[data-testid=decision-pending]")!.TextContent);

        var extended = await session.FollowAsync(await session.PostFormAsync(page, $"{page}/verlaengerung",
            Fields(("Version", "3"), ("Justification", "Anerkennungsverfahren läuft, Abschluss 2029 absehbar."))));
        Assert.NotNull(extended.QuerySelector("[data-testid=extension-pending]"));
        var timeline = (await session.GetPageAsync($"{page}/verlauf")).QuerySelectorAll("[data-testid=timeline] tbody tr td:nth-child(3)").Select(td => td.TextContent).ToList();
        Assert.Contains("Einzelfallentscheidung bei der Teamleitung beantragt", timeline);
        Assert.Contains("Verlängerung des Förderzeitraums beantragt", timeline);
    }

    [Fact]
    public async Task A_close_confirmed_after_someone_else_changed_the_case_changes_nothing_and_says_so()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api, supportStart: "2024-03-01");
        using var session = await app.SignedInAs("im2@musterstadt.example");
        var page = $"/faelle/{id}";
        var confirm = await ParseAsync(await session.PostFormAsync(page, $"{page}/abschliessen", Fields(("Version", "2"), ("Reason", "MovedAway"), ("ClosedOn", "2026-11-01"))));

        var (asked, _) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/support-extension", new { justification = "Sprachkurs wegen Krankheit unterbrochen, Abschluss B1 in Sicht." }, 2);
        Assert.Equal(HttpStatusCode.OK, asked);

        var confirmAction = $"{page}/abschliessen/bestaetigen";
        var stale = await ParseAsync(await session.SubmitAsync(confirm, confirmAction, FormFields(confirm, confirmAction)));
        Assert.Contains(stale.ErrorMessages(), m => m.StartsWith("Jemand anderes hat den Fall inzwischen geändert", StringComparison.Ordinal));
        Assert.Equal("Fallstatus: offen", stale.QuerySelector("#status-title")!.TextContent);
    }

    [Fact]
    public async Task In_the_UI_a_case_is_closed_with_a_reason_and_reopened()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs("im2@musterstadt.example");
        var page = $"/faelle/{id}";

        var missingNote = await ParseAsync(await session.PostFormAsync(page, $"{page}/abschliessen", Fields(("Version", "2"), ("Reason", "Other"), ("ClosedOn", "2026-11-01"))));
        Assert.Contains("Bei „Sonstiges“ bitte den Grund kurz beschreiben.", missingNote.ErrorMessages());

        // First the confirmation page: what closing does; cancel is a link back and changes nothing.
        var confirm = await ParseAsync(await session.PostFormAsync(page, $"{page}/abschliessen", Fields(("Version", "2"), ("Reason", "MovedAway"), ("ClosedOn", "2026-11-01"))));
        Assert.Matches(@"^Der Fall \d{4}-\d{4} \(.+\) wird zum 01\.11\.2026 abgeschlossen – Grund: weggezogen\.$", confirm.QuerySelector("[data-testid=confirm-summary]")!.TextContent);
        var cancel = await session.GetPageAsync(confirm.QuerySelector("[data-testid=confirm-cancel]")!.GetAttribute("href")!);
        Assert.Equal("Fallstatus: offen", cancel.QuerySelector("#status-title")!.TextContent);

        var confirmAction = $"{page}/abschliessen/bestaetigen";
        var closed = await session.FollowAsync(await session.SubmitAsync(confirm, confirmAction, FormFields(confirm, confirmAction)));
        Assert.Equal("Fallstatus: abgeschlossen", closed.QuerySelector("#status-title")!.TextContent);
        Assert.Equal("Der Fall ist abgeschlossen.", closed.QuerySelector(".notice[role=status]")!.TextContent);
        var reopened = await session.FollowAsync(await session.SubmitAsync(closed, $"{page}/wiedereroeffnen", Fields(("Version", "3"), ("Note", "zurückgezogen"))));
        Assert.Equal("Fallstatus: offen", reopened.QuerySelector("#status-title")!.TextContent);
    }
}
