using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Hardening;

/// <summary>
/// The fields' own limits (docs/input-limits.md) that the audit of issue 14 added: every text has a maximum
/// length, every list a maximum count, every date a range — refused with a German message on the field, nothing stored.
/// </summary>
public sealed class FieldLimitTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Texts_beyond_their_field_limit_are_refused_on_their_field()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var (caseId, goalId, _) = await CaseWithGoalAndStep(api);

        await AssertRefused(api, $"/api/v1/clients/{caseId}/goals/{goalId}/status", new { status = "Dropped", reason = new string('r', 501) }, "reason", "500");
        await AssertRefused(api, $"/api/v1/clients/{caseId}/goals/{goalId}/steps", new { text = new string('s', 501), responsible = "Client" }, "text", "500");
        await AssertRefused(api, $"/api/v1/clients/{caseId}/goals/{goalId}/steps",
            new { text = "Termin machen", responsible = "OtherService", service = new string('j', 201) }, "service", "200");
        await AssertRefused(api, $"/api/v1/clients/{caseId}/reviews", new { date = "2026-03-01", summary = new string('f', 4001) }, "summary", "4000");
        await AssertRefused(api, $"/api/v1/clients/{caseId}/individual-decision", new { justification = new string('b', 4001) }, "justification", "4.000");

        using var dpo = await app.ClientFor("dpo@musterstadt.example");
        using var search = await dpo.PostAsJsonAsync("/api/v1/data-protection/subjects/search", new { query = new string('a', 201), purpose = "Auskunft" });
        Assert.Equal((HttpStatusCode)422, search.StatusCode);
        Assert.Contains("200", (await search.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("query")[0].GetString(), StringComparison.Ordinal);

        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var email = new string('a', 64) + "@" + string.Concat(Enumerable.Repeat(new string('b', 60) + ".", 4)) + "de";
        var form = await ParseAsync(await admin.PostFormAsync("/verwaltung/benutzer/neu", "/verwaltung/benutzer/neu", Fields(
            ("Email", email), ("DisplayName", "Lange Adresse"), ("Role", Roles.DataProtectionOfficer), ("Password", DemoData.DefaultPassword))));
        Assert.Contains("Die E-Mail-Adresse darf höchstens 256 Zeichen lang sein.", form.ErrorMessages());
    }

    [Fact]
    public async Task Lists_beyond_their_field_limit_are_refused_on_their_field()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var (caseId, goalId, _) = await CaseWithGoalAndStep(api);

        await AssertRefused(api, $"/api/v1/clients/{caseId}/consultations",
            new { date = "2026-03-01", durationMinutes = 45, mode = "Office", fields = Enumerable.Repeat("Language", 11).ToArray() }, "fields", "10");
        await AssertRefused(api, $"/api/v1/clients/{caseId}/consent",
            new { givenOn = "2026-03-01", scopes = Enumerable.Repeat("Counselling", 4).ToArray(), formVersion = "2026-01" }, "scopes", "3");
        await AssertRefused(api, $"/api/v1/clients/{caseId}/reviews",
            new { date = "2026-03-01", summary = "Gespräch", goals = Enumerable.Repeat(new { goalId, outcome = "Continue" }, 101).ToArray() }, "goals", "100");
    }

    [Fact]
    public async Task Closing_and_step_dates_outside_their_range_are_refused_on_their_field()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var (caseId, goalId, stepId) = await CaseWithGoalAndStep(api);

        // Inside the outer bounds (1900–2100), outside the field's own range (the last 20 years until today).
        await AssertRefused(api, $"/api/v1/clients/{caseId}/close", new { reason = "MovedAway", closedOn = "1950-01-01" }, "closedOn", "muss zwischen");
        await AssertRefused(api, $"/api/v1/clients/{caseId}/goals/{goalId}/steps/{stepId}/done", new { completedOn = "2090-01-01" }, "completedOn", "muss zwischen");
    }

    /// <summary>A case (version 2) with a goal (3) and a step (4) of im1.</summary>
    private static async Task<(Guid Case, Guid Goal, Guid Step)> CaseWithGoalAndStep(HttpClient api)
    {
        var caseId = await CaseApi.NewCase(api);
        var (status, goal) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals",
            new { field = "Language", text = "Deutsch B1", agreedOn = "2026-03-01", targetDate = "2027-03-01" }, 2);
        Assert.Equal(HttpStatusCode.Created, status);
        var goalId = goal.GetProperty("goalId").GetGuid();
        (status, var planned) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals/{goalId}/steps", new { text = "Kurs suchen", responsible = "Client" }, 3);
        Assert.Equal(HttpStatusCode.OK, status);
        var stepId = planned.GetProperty("goals")[0].GetProperty("steps")[0].GetProperty("id").GetGuid();
        return (caseId, goalId, stepId);
    }

    /// <summary>422 with a German message on <paramref name="field"/> that names the limit, and the case unchanged (version 4).</summary>
    private static async Task AssertRefused(HttpClient api, string url, object body, string field, string limit)
    {
        var caseUrl = url[..(url.IndexOf("/clients/", StringComparison.Ordinal) + "/clients/".Length + 36)];
        var (status, problem) = await CaseApi.PostVersioned(api, url, body, 4);

        Assert.True(status == (HttpStatusCode)422, $"{url}: {(int)status} {problem}");
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString();
        Assert.Contains(limit, message, StringComparison.Ordinal);
        using var read = await api.GetAsync(caseUrl);
        Assert.Equal("\"4\"", read.Headers.ETag?.Tag);
    }
}
