using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Caseloads;

/// <summary>Moving cases to another team of the organisation: a transfer request that the receiving lead accepts or rejects.</summary>
public sealed class TransferTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<Guid> UserId(string email) => await app.WithDb(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));

    private static async Task<JsonElement> Post(HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(HttpClient Im1, List<Guid> Cases, Guid TransferId)> Requested(int count)
    {
        var im1 = await app.ClientFor("im1@musterstadt.example");
        var cases = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            cases.Add(await CaseApi.NewCase(im1));
        }

        using var lead = await app.ClientFor("lead@musterstadt.example");
        var body = await Post(lead, "/api/v1/clients/reassign", new { caseIds = cases, toManagerId = await UserId("im3@musterstadt.example"), note = "Umzug in den Süden der Stadt" });
        Assert.Equal((0, count), (body.GetProperty("reassigned").GetInt32(), body.GetProperty("transferRequested").GetInt32()));
        return (im1, cases, body.GetProperty("transferId").GetGuid());
    }

    [Fact]
    public async Task The_receiving_lead_sees_numbers_not_names_and_accepting_moves_every_case()
    {
        var (im1, cases, transferId) = await Requested(2);
        using (im1)
        {
            // Until accepted, the cases stay with im1.
            Assert.Equal(HttpStatusCode.OK, (await im1.GetAsync($"/api/v1/clients/{cases[0]}")).StatusCode);
            using var south = await app.ClientFor("lead-sued@musterstadt.example");
            var inbox = await south.GetFromJsonAsync<JsonElement>("/api/v1/approvals");
            var entry = inbox.EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == transferId);
            Assert.Equal(("Transfer", "", "Sara Yılmaz", "Petra Schulz", 2), (entry.GetProperty("kind").GetString(), entry.GetProperty("lastName").GetString(),
                entry.GetProperty("managerName").GetString(), entry.GetProperty("requestedByName").GetString(), entry.GetProperty("caseNumbers").GetArrayLength()));
            Assert.Equal(HttpStatusCode.NotFound, (await south.GetAsync($"/api/v1/clients/{cases[0]}")).StatusCode);

            var decided = await Post(south, $"/api/v1/approvals/{transferId}/decision", new { decision = "approve" });

            Assert.Equal((true, 2), (decided.GetProperty("accepted").GetBoolean(), decided.GetProperty("cases").GetInt32()));
            using var im3 = await app.ClientFor("im3@musterstadt.example");
            foreach (var id in cases)
            {
                Assert.Equal(HttpStatusCode.OK, (await im3.GetAsync($"/api/v1/clients/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await im1.GetAsync($"/api/v1/clients/{id}")).StatusCode);
            }

            var history = (await im3.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{cases[0]}/history")).EnumerateArray().Select(e => e.GetProperty("description").GetString()).ToList();
            Assert.Equal("Fall umverteilt von Miriam Keller an Sara Yılmaz: Umzug in den Süden der Stadt", history[0]);
            Assert.Equal("Übergabe angenommen", history[1]);
        }
    }

    [Fact]
    public async Task A_rejection_needs_a_comment_and_the_cases_stay_where_they_were()
    {
        var (im1, cases, transferId) = await Requested(1);
        using (im1)
        {
            using var south = await app.ClientFor("lead-sued@musterstadt.example");
            var missing = await Post(south, $"/api/v1/approvals/{transferId}/decision", new { decision = "reject" }, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("Bitte einen Kommentar zur Ablehnung angeben.", missing.GetProperty("errors").GetProperty("comment")[0].GetString());

            await Post(south, $"/api/v1/approvals/{transferId}/decision", new { decision = "reject", comment = "Team Süd ist voll." });

            var seen = await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{cases[0]}");
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("pendingTransfer").ValueKind);
            var history = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{cases[0]}/history")).EnumerateArray().Select(e => e.GetProperty("description").GetString()).ToList();
            Assert.Equal("Übergabe abgelehnt: Team Süd ist voll.", history[0]);
            Assert.DoesNotContain((await south.GetFromJsonAsync<JsonElement>("/api/v1/approvals")).EnumerateArray(), a => a.GetProperty("id").GetGuid() == transferId);
        }
    }

    [Fact]
    public async Task Only_the_receiving_lead_decides_and_a_pending_transfer_blocks_other_moves()
    {
        var (im1, cases, transferId) = await Requested(1);
        using (im1)
        {
            using var sendingLead = await app.ClientFor("lead@musterstadt.example");
            await Post(sendingLead, $"/api/v1/approvals/{transferId}/decision", new { decision = "approve" }, HttpStatusCode.NotFound);
            using var manager = await app.ClientFor("im3@musterstadt.example");
            await Post(manager, $"/api/v1/approvals/{transferId}/decision", new { decision = "approve" }, HttpStatusCode.Forbidden);

            var blocked = await Post(sendingLead, "/api/v1/clients/reassign", new { caseIds = cases, toManagerId = await UserId("im2@musterstadt.example") }, HttpStatusCode.UnprocessableEntity);
            Assert.StartsWith("Mindestens ein ausgewählter Fall wartet schon auf die Übernahme", blocked.GetProperty("errors").GetProperty("caseIds")[0].GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task On_the_pages_the_lead_asks_another_team_and_its_lead_accepts_on_Freigaben()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(im1);
        var number = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString()!;
        using var lead = await app.SignedInAs("lead@musterstadt.example");
        var team = await lead.GetPageAsync($"/team?search={number}");
        Assert.NotNull(team.QuerySelector("#reassign-to optgroup[label^='Team Süd'] option"));

        var confirm = await ParseAsync(await lead.SubmitAsync(team, $"/team/umverteilen?manager=&status=&search={number}&figure=",
            Fields(("CaseIds", id.ToString()), ("ToManagerId", (await UserId("im3@musterstadt.example")).ToString()))));
        Assert.Contains("zur Übernahme anfragen", confirm.QuerySelector("[data-testid=confirm-summary]")!.TextContent, StringComparison.Ordinal);
        var confirmAction = $"/team/umverteilen/bestaetigen?manager=&status=&search={number}&figure=";
        var asked = await lead.SubmitAsync(confirm, confirmAction, FormFields(confirm, confirmAction));
        var after = await lead.FollowAsync(asked);
        Assert.StartsWith("1 Fall zur Übernahme angefragt", after.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);

        using var south = await app.SignedInAs("lead-sued@musterstadt.example");
        var inbox = await south.GetPageAsync("/freigaben");
        var section = inbox.QuerySelectorAll("[data-testid=approval]").Single(s => s.QuerySelector("[data-testid=transfer-cases]")?.TextContent == number);
        var action = section.QuerySelector("form")!.GetAttribute("action")!;
        await AssertRedirectAsync(await south.SubmitAsync(inbox, action, Fields(("Decision", "Approve"))));
        Assert.Equal(HttpStatusCode.OK, (await south.GetAsync($"/faelle/{id}")).StatusCode);
    }
}
