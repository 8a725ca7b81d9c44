using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Plans;

public sealed class PlanGoalsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_goal_is_agreed_through_the_API_and_moves_from_agreed_to_achieved()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        var created = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Language", text = "Deutschkurs B1 abschließen", agreedOn = "2026-11-02", targetDate = "2027-06-30", nextReview = "2027-02-01" }, 2);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var goalId = created.Body.GetProperty("goalId").GetGuid();
        Assert.Equal(3, created.Body.GetProperty("version").GetInt64());

        var client1 = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        var goal = Assert.Single(client1.GetProperty("goals").EnumerateArray());
        Assert.Equal((goalId, "Language", "Agreed", "2027-06-30"),
            (goal.GetProperty("id").GetGuid(), goal.GetProperty("field").GetString(), goal.GetProperty("status").GetString(), goal.GetProperty("targetDate").GetString()));

        var skipped = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "Achieved" }, 3);
        Assert.Equal(HttpStatusCode.Conflict, skipped.Status); // refused: invalid-transition
        Assert.Equal("invalid-transition", skipped.Body.GetProperty("code").GetString());
        Assert.Contains("Von „vereinbart“ geht es nur nach „in Arbeit“ oder „aufgegeben“.", skipped.Body.ToString(), StringComparison.Ordinal);

        var inProgress = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "InProgress" }, 3);
        Assert.Equal(HttpStatusCode.OK, inProgress.Status);
        var achieved = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "Achieved" }, 4);
        Assert.Equal("Achieved", achieved.Body.GetProperty("goals")[0].GetProperty("status").GetString());
        var again = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "Dropped", reason = "x" }, 5);
        Assert.Contains("Das Ziel ist bereits „erreicht“ und kann nicht mehr geändert werden.", again.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incomplete_goal_is_a_422_per_field_and_a_stale_version_a_412()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        var incomplete = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals", new { text = "", agreedOn = "2026-11-02", targetDate = "2026-10-01" }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, incomplete.Status);
        var errors = incomplete.Body.GetProperty("errors");
        Assert.Equal("Bitte das Handlungsfeld wählen.", errors.GetProperty("field")[0].GetString());
        Assert.Equal("Bitte das Ziel beschreiben.", errors.GetProperty("text")[0].GetString());
        Assert.Equal("Der Zieltermin darf nicht vor dem Tag der Vereinbarung liegen.", errors.GetProperty("targetDate")[0].GetString());

        var stale = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals", new { field = "Housing", text = "Wohnung finden", agreedOn = "2026-11-02", targetDate = "2027-11-01" }, 1);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("goals").EnumerateArray());
    }

    [Fact]
    public async Task In_the_UI_a_goal_is_agreed_shown_under_its_field_of_action_and_moved_on()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs("im2@musterstadt.example");
        var page = $"/faelle/{id}";

        var missing = await ParseAsync(await session.PostFormAsync($"{page}/plan", $"{page}/ziele", Fields(("Version", "2"), ("Field", "LabourMarket"), ("Text", "Praktikum im Handwerk"), ("AgreedOn", "2026-11-02"))));
        Assert.Contains("Bitte einen Zieltermin angeben.", missing.ErrorMessages());
        Assert.Equal("Praktikum im Handwerk", missing.QuerySelector("#goal-text")!.TextContent);

        var shown = await session.FollowAsync(await session.SubmitAsync(missing, $"{page}/ziele",
            Fields(("Version", "2"), ("Field", "LabourMarket"), ("Text", "Praktikum im Handwerk"), ("AgreedOn", "2026-11-02"), ("TargetDate", "2027-03-31"))));
        Assert.Contains(shown.QuerySelectorAll("#plan-title ~ h3"), h => h.TextContent == "Arbeitsmarktintegration");
        var goal = Assert.Single(shown.QuerySelectorAll("[data-testid=goal]"));
        Assert.Equal("Praktikum im Handwerk", goal.QuerySelector(".goal-text")!.TextContent);
        Assert.Equal("vereinbart", goal.QuerySelector("[data-testid=goal-status]")!.TextContent);

        var action = goal.QuerySelector("form[action$='/status']")!.GetAttribute("action")!;
        var moved = await session.FollowAsync(await session.SubmitAsync(shown, action, Fields(("Version", "3"), ("Status", "InProgress"))));
        Assert.Equal("in Arbeit", moved.QuerySelector("[data-testid=goal-status]")!.TextContent);
    }

    [Fact]
    public async Task The_plan_prints_on_A4_with_goals_and_signature_lines_and_the_signature_date_is_recorded()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs("im1@musterstadt.example");
        var page = $"/faelle/{id}";

        var noGoals = await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/plan-signature", new { signedOn = "2026-11-20" }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noGoals.Status);
        Assert.Contains("Unterschrieben wird der Plan mit mindestens einem vereinbarten Ziel.", noGoals.Body.ToString(), StringComparison.Ordinal);

        await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/goals", new { field = "SchoolAndEducation", text = "Anmeldung an der Berufsschule", agreedOn = "2026-11-02", targetDate = "2027-01-31" }, 2);
        var print = await session.GetPageAsync($"{page}/druck");
        Assert.Equal("Integrationsplan", print.Heading());
        Assert.Contains(print.QuerySelectorAll("h3"), h => h.TextContent == "Schule und Bildung (inkl. Ausbildung/Studium)");
        Assert.Contains(print.QuerySelectorAll(".goals-table td"), td => td.TextContent == "Anmeldung an der Berufsschule");
        Assert.Equal(["Ort, Datum", "Unterschrift Klient:in", "Unterschrift Integrationsmanager:in"],
            print.QuerySelectorAll(".signatures div span:last-child").Select(s => s.TextContent));
        Assert.Null(print.QuerySelector("nav"));

        var signed = await session.FollowAsync(await session.PostFormAsync($"{page}/plan", $"{page}/unterschrift", Fields(("Version", "3"), ("signedOn", "2026-11-20"))));
        Assert.Contains("Zuletzt unterschrieben am 20.11.2026", signed.QuerySelector("[data-testid=plan-signed]")!.TextContent, StringComparison.Ordinal);
        var client = await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        Assert.Equal("2026-11-20", client.GetProperty("planSignedOn").GetString());
    }
}
