using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Plans;

public sealed class GoalStepsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Steps_are_planned_with_a_responsible_party_and_ticked_off()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        var goalId = (await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "QualificationRecognition", text = "Berufsabschluss anerkennen lassen", agreedOn = "2026-11-02", targetDate = "2027-09-30" }, 2)).Body.GetProperty("goalId").GetGuid();

        var noService = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/steps", new { text = "Termin vereinbaren", responsible = "OtherService" }, 3);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noService.Status);
        Assert.Contains("Bitte die zuständige Stelle nennen", noService.Body.ToString(), StringComparison.Ordinal);

        var planned = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/steps",
            new { text = "Termin bei der Anerkennungsberatung", responsible = "OtherService", service = "IQ-Anerkennungsberatung", dueDate = "2026-12-15" }, 3);
        Assert.Equal(HttpStatusCode.OK, planned.Status);
        var step = Assert.Single(planned.Body.GetProperty("goals")[0].GetProperty("steps").EnumerateArray());
        Assert.Equal(("IQ-Anerkennungsberatung", "2026-12-15"), (step.GetProperty("service").GetString(), step.GetProperty("dueDate").GetString()));
        var stepId = step.GetProperty("id").GetGuid();

        var done = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/steps/{stepId}/done", new { completedOn = "2026-11-20" }, 4);
        Assert.Equal("2026-11-20", done.Body.GetProperty("goals")[0].GetProperty("steps")[0].GetProperty("completedOn").GetString());
        var again = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/steps/{stepId}/done", new { }, 5);
        Assert.Contains("Diesen offenen Schritt gibt es bei diesem Ziel nicht", again.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_UI_a_step_is_planned_under_its_goal_and_ticked_off()
    {
        using var client = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        var goalId = (await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Language", text = "Integrationskurs beginnen", agreedOn = "2026-11-02", targetDate = "2027-03-31" }, 2)).Body.GetProperty("goalId").GetGuid();
        using var session = await app.SignedInAs("im2@musterstadt.example");
        var page = $"/faelle/{id}";

        var planned = await session.FollowAsync(await session.PostFormAsync($"{page}/plan", $"{page}/ziele/{goalId}/schritte",
            Fields(("version", "3"), ("text", "Anmeldung beim Kursträger"), ("responsible", "Client"), ("dueDate", "2026-12-01"))));
        var step = Assert.Single(planned.QuerySelectorAll("[data-testid=step]"));
        Assert.Contains("Anmeldung beim Kursträger", step.TextContent, StringComparison.Ordinal);
        Assert.Contains("Klient:in, bis 01.12.2026", step.TextContent, StringComparison.Ordinal);

        var action = step.QuerySelector("form")!.GetAttribute("action")!;
        var done = await session.FollowAsync(await session.SubmitAsync(planned, action, Fields(("version", "4"))));
        Assert.StartsWith("erledigt am ", done.QuerySelector("[data-testid=step-done]")!.TextContent, StringComparison.Ordinal);
    }
}
