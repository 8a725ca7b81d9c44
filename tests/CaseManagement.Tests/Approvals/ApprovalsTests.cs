using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Approvals;

/// <summary>Freigaben: the team lead decides individual decisions and extensions; the manager sees the outcome.</summary>
public sealed class ApprovalsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im1@musterstadt.example";
    private const string Lead = "lead@musterstadt.example";
    private const string Justification = "Ausbildung als Pflegehelferin begonnen, gute Integrationsprognose.";

    private static async Task<JsonElement> Get(HttpClient client, Guid id) => await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");

    /// <summary>A case with Ausbildungsduldung (individual decision needed) whose manager asked the lead.</summary>
    private static async Task<(Guid CaseId, Guid ApprovalId)> RequestedDecision(HttpClient manager)
    {
        var id = await CaseApi.NewCase(manager, residence: "TrainingToleration");
        var (status, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/individual-decision", new { justification = Justification }, 2);
        Assert.Equal(HttpStatusCode.OK, status);
        return (id, body.GetProperty("pendingRequests")[0].GetProperty("id").GetGuid());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Decide(HttpClient lead, Guid approvalId, object body)
    {
        using var response = await lead.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/decision", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task The_lead_sees_the_request_with_the_justification_and_an_approval_makes_the_client_eligible()
    {
        using var manager = await app.ClientFor(Manager);
        using var lead = await app.ClientFor(Lead);
        var (id, approvalId) = await RequestedDecision(manager);

        var inbox = await lead.GetFromJsonAsync<JsonElement>("/api/v1/approvals");
        var entry = inbox.EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == approvalId);
        Assert.Equal(("IndividualDecision", id, Justification, "Miriam Keller"), (entry.GetProperty("kind").GetString(), entry.GetProperty("caseId").GetGuid(),
            entry.GetProperty("justification").GetString(), entry.GetProperty("managerName").GetString()));

        lead.DefaultRequestHeaders.Remove("Prefer"); // the decision's own answer (ApprovalDecisionResponse), not the case file
        var (status, body) = await Decide(lead, approvalId, new { decision = "approve", comment = "Einverstanden." });

        Assert.Equal(HttpStatusCode.OK, status);
        var seen = await Get(manager, id);
        Assert.True(seen.GetProperty("individualDecisionApproved").GetBoolean());
        Assert.False(seen.GetProperty("individualDecisionPending").GetBoolean());
        Assert.Equal("NeedsIndividualDecision", seen.GetProperty("eligibility").GetProperty("verdict").GetString());
        var decision = seen.GetProperty("decisions").EnumerateArray().Single();
        Assert.Equal((true, "Einverstanden."), (decision.GetProperty("approved").GetBoolean(), decision.GetProperty("comment").GetString()));
        Assert.Equal(body.GetProperty("version").GetInt64(), seen.GetProperty("version").GetInt64());
        Assert.Equal((id, approvalId, "IndividualDecision", true, 1), (body.GetProperty("id").GetGuid(), body.GetProperty("approvalId").GetGuid(),
            body.GetProperty("kind").GetString(), body.GetProperty("accepted").GetBoolean(), body.GetProperty("cases").GetInt32()));
        Assert.DoesNotContain((await lead.GetFromJsonAsync<JsonElement>("/api/v1/approvals")).EnumerateArray(), a => a.GetProperty("id").GetGuid() == approvalId);
        var history = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/history");
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("description").GetString() == "Einzelfallentscheidung (Zielgruppe) genehmigt durch die Teamleitung: Einverstanden."
                                                        && e.GetProperty("author").GetString() == "Petra Schulz");

        var (again, againBody) = await Decide(lead, approvalId, new { decision = "reject", comment = "Doch nicht." });
        Assert.Equal(HttpStatusCode.NotFound, again);
    }

    [Fact]
    public async Task A_rejection_needs_a_comment_and_the_manager_may_ask_again()
    {
        using var manager = await app.ClientFor(Manager);
        using var lead = await app.ClientFor(Lead);
        var (id, approvalId) = await RequestedDecision(manager);

        var (missing, missingBody) = await Decide(lead, approvalId, new { decision = "reject" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing);
        Assert.Equal("Bitte einen Kommentar zur Ablehnung angeben.", missingBody.GetProperty("errors").GetProperty("comment")[0].GetString());
        var (noDecision, noDecisionBody) = await Decide(lead, approvalId, new { comment = "?" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noDecision);
        Assert.Equal("Bitte „genehmigen“ oder „ablehnen“ wählen.", noDecisionBody.GetProperty("errors").GetProperty("decision")[0].GetString());
        Assert.Equal(3, (await Get(manager, id)).GetProperty("version").GetInt64());

        var (rejected, _) = await Decide(lead, approvalId, new { decision = "reject", comment = "Bitte zuerst den Ausbildungsvertrag vorlegen." });
        Assert.Equal(HttpStatusCode.OK, rejected);
        var seen = await Get(manager, id);
        Assert.False(seen.GetProperty("individualDecisionApproved").GetBoolean());
        Assert.False(seen.GetProperty("individualDecisionPending").GetBoolean());

        var (asked, askedBody) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/individual-decision", new { justification = Justification + " Vertrag liegt bei." }, 4);
        Assert.Equal(HttpStatusCode.OK, asked);
        Assert.True(askedBody.GetProperty("individualDecisionPending").GetBoolean());
    }

    [Fact]
    public async Task An_approved_extension_moves_the_end_of_the_support_period_by_a_year()
    {
        using var manager = await app.ClientFor(Manager);
        using var lead = await app.ClientFor(Lead);
        var id = await CaseApi.NewCase(manager, supportStart: "2024-03-01");
        var (_, requested) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/support-extension", new { justification = "Sprachkurs wegen Krankheit unterbrochen, Abschluss B1 in Sicht." }, 2);
        Assert.Equal("2027-02-28", requested.GetProperty("supportPeriod").GetProperty("end").GetString());
        var approvalId = requested.GetProperty("pendingRequests")[0].GetProperty("id").GetGuid();

        var (status, body) = await Decide(lead, approvalId, new { decision = "approve" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2028-02-29", body.GetProperty("supportPeriod").GetProperty("end").GetString());
        var (again, againBody) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/support-extension", new { justification = "Noch einmal verlängern bitte, aus gutem Grund." }, 4);
        Assert.Equal(HttpStatusCode.Conflict, again); // refused: invalid-transition
        Assert.Contains("bereits auf 4 Jahre verlängert", againBody.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_overtaken_by_a_new_residence_status_cannot_be_decided_any_more()
    {
        using var manager = await app.ClientFor(Manager);
        using var lead = await app.ClientFor(Lead);
        var (id, approvalId) = await RequestedDecision(manager);
        await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/residence-status", new { kind = "SettlementPermit" }, 3);

        Assert.DoesNotContain((await lead.GetFromJsonAsync<JsonElement>("/api/v1/approvals")).EnumerateArray(), a => a.GetProperty("id").GetGuid() == approvalId);
        var (status, _) = await Decide(lead, approvalId, new { decision = "approve" });
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Theory]
    [InlineData("im1@musterstadt.example", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("im2@musterstadt.example", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("dpo@musterstadt.example", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("admin@musterstadt.example", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("lead-sued@musterstadt.example", HttpStatusCode.OK, HttpStatusCode.NotFound)]
    [InlineData("im1@beispiel.example", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    public async Task Only_the_lead_of_the_managers_team_sees_and_decides_the_request(string email, HttpStatusCode list, HttpStatusCode decide)
    {
        using var manager = await app.ClientFor(Manager);
        var (id, approvalId) = await RequestedDecision(manager);
        using var other = await app.ClientFor(email);

        using var listed = await other.GetAsync("/api/v1/approvals");
        Assert.Equal(list, listed.StatusCode);
        if (listed.IsSuccessStatusCode)
        {
            Assert.DoesNotContain((await listed.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray(), a => a.GetProperty("id").GetGuid() == approvalId);
        }

        var (status, _) = await Decide(other, approvalId, new { decision = "approve" });
        Assert.Equal(decide, status);
        Assert.True((await Get(manager, id)).GetProperty("individualDecisionPending").GetBoolean());
    }

    [Fact]
    public async Task On_the_Freigaben_page_the_lead_rejects_with_a_comment_and_the_manager_reads_it_on_the_case()
    {
        using var api = await app.ClientFor(Manager);
        var (id, approvalId) = await RequestedDecision(api);
        using var lead = await app.SignedInAs(Lead);
        var page = await lead.GetPageAsync("/freigaben");
        var section = page.QuerySelectorAll("[data-testid=approval]").Single(s => s.QuerySelector($"form[action='/freigaben/{approvalId}']") is not null);
        Assert.Equal(Justification, section.QuerySelector("[data-testid=justification]")!.TextContent);

        var failed = await lead.SubmitAsync(page, $"/freigaben/{approvalId}", Fields(("Decision", "Reject"), ("Comment", "")));
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var shown = await ParseAsync(failed);
        var form = shown.QuerySelector($"form[action='/freigaben/{approvalId}']")!;
        Assert.Contains("Bitte einen Kommentar zur Ablehnung angeben.", form.QuerySelectorAll(".field-error").Select(e => e.TextContent));
        Assert.True(form.QuerySelector<IHtmlInputElement>("input[value=Reject]")!.IsChecked);

        var done = await lead.SubmitAsync(shown, $"/freigaben/{approvalId}", Fields(("Decision", "Reject"), ("Comment", "Bitte Vertrag nachreichen.")));
        var after = await lead.FollowAsync(done);
        Assert.Equal("Der Antrag ist abgelehnt.", after.QuerySelector(".notice")!.TextContent);
        Assert.Null(after.QuerySelector($"form[action='/freigaben/{approvalId}']"));

        var leadView = await lead.GetPageAsync($"/faelle/{id}");
        Assert.Equal("Einzelfallentscheidung nötig", leadView.QuerySelector("[data-testid=verdict]")!.TextContent);
        using var manager = await app.SignedInAs(Manager);
        var caseView = await manager.GetPageAsync($"/faelle/{id}");
        Assert.EndsWith("von der Teamleitung abgelehnt: Bitte Vertrag nachreichen.", caseView.QuerySelector("[data-testid=decision-outcome]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(caseView.QuerySelector($"form[action='/faelle/{id}/einzelfallentscheidung']"));

        using var otherLead = await app.SignedInAs("lead-sued@musterstadt.example");
        using var foreign = await otherLead.GetAsync($"/faelle/{id}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task An_approval_on_the_page_shows_the_client_as_target_group_on_the_case_and_in_the_caseload()
    {
        using var api = await app.ClientFor(Manager);
        var (id, approvalId) = await RequestedDecision(api);
        using var lead = await app.SignedInAs(Lead);

        await lead.FollowAsync(await lead.PostFormAsync("/freigaben", $"/freigaben/{approvalId}", Fields(("Decision", "Approve"), ("Comment", ""))));

        using var manager = await app.SignedInAs(Manager);
        var caseView = await manager.GetPageAsync($"/faelle/{id}");
        Assert.Equal("Zielgruppe (Einzelfallentscheidung)", caseView.QuerySelector("[data-testid=verdict]")!.TextContent);
        Assert.Null(caseView.QuerySelector($"form[action='/faelle/{id}/einzelfallentscheidung']"));
        var number = caseView.QuerySelector("[data-testid=case-number]")!.TextContent;
        var row = (await manager.GetPageAsync($"/faelle?search={number}")).QuerySelector("tbody tr")!;
        Assert.Contains("Zielgruppe (Einzelfallentscheidung)", row.TextContent, StringComparison.Ordinal);
    }
}
