using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Caseloads;

/// <summary>A team lead moves cases between the team's managers: one, many (all or none), by API and on the Team page.</summary>
public sealed class ReassignmentTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Lead = "lead@musterstadt.example";

    private async Task<Guid> UserId(string email) => await app.WithDb(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));

    private static async Task<HashSet<Guid>> Caseload(HttpClient manager)
    {
        var ids = new HashSet<Guid>();
        for (var page = 1; ; page++)
        {
            var items = (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients?page={page}")).EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
            ids.UnionWith(items);
            if (items.Count < 25)
            {
                return ids;
            }
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Reassign(HttpClient lead, object body)
    {
        using var response = await lead.PostAsJsonAsync("/api/v1/clients/reassign", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Moved_cases_are_in_the_new_managers_caseload_at_once_and_the_history_names_both_managers()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var im2 = await app.ClientFor("im2@musterstadt.example");
        using var lead = await app.ClientFor(Lead);
        var first = await CaseApi.NewCase(im1);
        var second = await CaseApi.NewCase(im1);
        var stays = await CaseApi.NewCase(im1);

        var (status, body) = await Reassign(lead, new { caseIds = new[] { first, second }, toManagerId = await UserId("im2@musterstadt.example"), note = "Elternzeit" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("reassigned").GetInt32());
        var im2Cases = await Caseload(im2);
        Assert.Contains(first, im2Cases);
        Assert.Contains(second, im2Cases);
        var im1Cases = await Caseload(im1);
        Assert.DoesNotContain(first, im1Cases);
        Assert.Contains(stays, im1Cases);
        using (var gone = await im1.GetAsync($"/api/v1/clients/{first}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        var history = await im2.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{first}/history");
        var entry = history[0];
        Assert.Equal(("Fall umverteilt von Miriam Keller an Jonas Weber: Elternzeit", "Petra Schulz"), (entry.GetProperty("description").GetString(), entry.GetProperty("author").GetString()));
    }

    [Fact]
    public async Task Two_hundred_cases_move_in_one_request_all_or_none()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var im3 = await app.ClientFor("im3@musterstadt.example");
        using var lead = await app.ClientFor(Lead);
        var cases = new List<Guid>();
        for (var i = 0; i < 200; i++)
        {
            cases.Add(await CaseApi.NewCase(im1));
        }

        var im2 = await UserId("im2@musterstadt.example");
        var otherTeamsCase = await CaseApi.NewCase(im3);
        var (foreign, _) = await Reassign(lead, new { caseIds = cases.Append(otherTeamsCase), toManagerId = im2 });
        Assert.Equal(HttpStatusCode.NotFound, foreign);

        var alreadyThere = await CaseApi.NewCase(await app.ClientFor("im2@musterstadt.example"));
        var (conflict, conflictBody) = await Reassign(lead, new { caseIds = cases.Append(alreadyThere), toManagerId = im2 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict);
        Assert.StartsWith("Mindestens ein ausgewählter Fall liegt schon bei dieser Person", conflictBody.GetProperty("errors").GetProperty("toManagerId")[0].GetString(), StringComparison.Ordinal);
        Assert.True(cases.ToHashSet().IsSubsetOf(await Caseload(im1)));

        var (status, body) = await Reassign(lead, new { caseIds = cases, toManagerId = im2 });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, body.GetProperty("reassigned").GetInt32());
        Assert.Empty(cases.ToHashSet().Intersect(await Caseload(im1)));
    }

    [Fact]
    public async Task Bad_input_is_a_422_with_German_messages()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var lead = await app.ClientFor(Lead);
        var id = await CaseApi.NewCase(im1);

        var (empty, emptyBody) = await Reassign(lead, new { caseIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty);
        Assert.Equal("Bitte mindestens einen Fall auswählen.", emptyBody.GetProperty("errors").GetProperty("caseIds")[0].GetString());
        Assert.StartsWith("Bitte eine aktive Integrationsmanagerin", emptyBody.GetProperty("errors").GetProperty("toManagerId")[0].GetString(), StringComparison.Ordinal);

        var (otherOrganisation, _) = await Reassign(lead, new { caseIds = new[] { id }, toManagerId = await UserId("im1@beispiel.example") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherOrganisation);
        var (admin, _) = await Reassign(lead, new { caseIds = new[] { id }, toManagerId = await UserId("admin@musterstadt.example") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, admin);
        Assert.Equal(2, (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("im1@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("dpo@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("admin@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("lead-sued@musterstadt.example", HttpStatusCode.NotFound)]
    [InlineData("im1@beispiel.example", HttpStatusCode.Forbidden)]
    public async Task Only_the_lead_of_the_team_moves_its_cases(string email, HttpStatusCode expected)
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(im1);
        using var other = await app.ClientFor(email);

        var target = email == "lead-sued@musterstadt.example" ? await UserId("im3@musterstadt.example") : await UserId("im2@musterstadt.example");
        var (status, _) = await Reassign(other, new { caseIds = new[] { id }, toManagerId = target });

        Assert.Equal(expected, status);
        Assert.Contains(id, await Caseload(im1));
    }

    private const string ConfirmAction = "/team/umverteilen/bestaetigen?manager=&status=&search=&figure=";

    private static string Squeezed(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    [Fact]
    public async Task The_confirmation_page_counts_the_cases_with_open_approvals_and_cancel_changes_nothing()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var cases = new[] { await CaseApi.NewCase(im1, supportStart: "2024-03-01"), await CaseApi.NewCase(im1), await CaseApi.NewCase(im1) };
        var version = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{cases[0]}")).GetProperty("version").GetInt64();
        var (asked, _) = await CaseApi.PostVersioned(im1, $"/api/v1/clients/{cases[0]}/support-extension",
            new { justification = "Sprachkurs wegen Krankheit unterbrochen, Abschluss B1 in Sicht." }, version);
        Assert.True(asked is HttpStatusCode.OK or HttpStatusCode.Created, $"extension request: {asked}");
        var im2 = await UserId("im2@musterstadt.example");
        using var lead = await app.SignedInAs(Lead);
        var page = await lead.GetPageAsync("/team");

        var confirm = await ParseAsync(await lead.SubmitAsync(page, "/team/umverteilen?manager=&status=&search=&figure=",
            cases.Select(c => new KeyValuePair<string, string>("CaseIds", c.ToString())).Append(new("ToManagerId", im2.ToString()))));

        Assert.Equal("3 Fälle von Miriam Keller an Jonas Weber übertragen; 1 davon hat offene Freigaben.",
            Squeezed(confirm.QuerySelector("[data-testid=confirm-summary]")!.TextContent));
        Assert.Equal(3, confirm.QuerySelectorAll("[data-testid=confirm-cases] tbody tr").Length);
        Assert.Equal(3, confirm.QuerySelectorAll("input[name=selection]").Length);

        // Cancel is a link back to the list: nothing posted, nothing moved.
        var cancel = confirm.QuerySelector("[data-testid=confirm-cancel]")!.GetAttribute("href")!;
        Assert.StartsWith("/team?", cancel, StringComparison.Ordinal);
        await lead.GetPageAsync(cancel);
        Assert.Superset(cases.ToHashSet(), await Caseload(im1));
    }

    [Fact]
    public async Task A_case_changed_after_the_confirmation_page_stops_the_move_and_the_page_says_so()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(im1, supportStart: "2024-03-01");
        var im2 = await UserId("im2@musterstadt.example");
        using var lead = await app.SignedInAs(Lead);
        var page = await lead.GetPageAsync("/team");
        var confirm = await ParseAsync(await lead.SubmitAsync(page, "/team/umverteilen?manager=&status=&search=&figure=",
            Fields(("CaseIds", id.ToString()), ("ToManagerId", im2.ToString()))));

        // Meanwhile the manager changes the case.
        var version = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64();
        var (asked, _) = await CaseApi.PostVersioned(im1, $"/api/v1/clients/{id}/support-extension",
            new { justification = "Sprachkurs wegen Krankheit unterbrochen, Abschluss B1 in Sicht." }, version);
        Assert.True(asked is HttpStatusCode.OK or HttpStatusCode.Created, $"extension request: {asked}");

        var response = await lead.SubmitAsync(confirm, ConfirmAction, FormFields(confirm, ConfirmAction));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var again = await ParseAsync(response);
        Assert.StartsWith("Jemand anderes hat den Fall inzwischen geändert", again.QuerySelector("[data-testid=confirm-stale]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(id, await Caseload(im1));
        Assert.Contains("1 davon hat offene Freigaben", Squeezed(again.QuerySelector("[data-testid=confirm-summary]")!.TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_Team_page_the_lead_filters_ticks_and_moves_cases_and_sees_only_the_own_team()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var im3 = await app.ClientFor("im3@musterstadt.example");
        var ticked = await CaseApi.NewCase(im1);
        var notTicked = await CaseApi.NewCase(im1);
        var otherTeam = await CaseApi.NewCase(im3);
        var im2 = await UserId("im2@musterstadt.example");
        using var lead = await app.SignedInAs(Lead);

        var page = await lead.GetPageAsync("/team");
        var rows = page.QuerySelectorAll("[data-testid=team-cases] tbody tr").ToList();
        Assert.Contains(rows, r => r.QuerySelector($"input[value='{ticked}']") is not null);
        Assert.DoesNotContain(rows, r => r.QuerySelector($"input[value='{otherTeam}']") is not null);

        var noTarget = await lead.SubmitAsync(page, "/team/umverteilen?manager=&status=&search=&figure=", Fields(("CaseIds", ticked.ToString())));
        var shown = await ParseAsync(noTarget);
        Assert.StartsWith("Bitte eine aktive Integrationsmanagerin", shown.QuerySelector("#reassign-to")!.ParentElement!.QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(shown.QuerySelector($"input[value='{ticked}'][checked]"));

        var confirm = await ParseAsync(await lead.SubmitAsync(shown, "/team/umverteilen?manager=&status=&search=&figure=", Fields(("CaseIds", ticked.ToString()), ("ToManagerId", im2.ToString()), ("Note", "Ausgleich"))));
        Assert.Equal("1 Fall von Miriam Keller an Jonas Weber übertragen.", Squeezed(confirm.QuerySelector("[data-testid=confirm-summary]")!.TextContent));
        Assert.Contains(ticked, await Caseload(im1)); // nothing moved before the confirmation
        var moved = await lead.SubmitAsync(confirm, ConfirmAction, FormFields(confirm, ConfirmAction));
        var after = await lead.FollowAsync(moved);
        Assert.Equal("1 Fall umverteilt.", after.QuerySelector(".notice")!.TextContent);
        Assert.Contains(ticked, await Caseload(await app.ClientFor("im2@musterstadt.example")));
        Assert.Contains(notTicked, await Caseload(im1));

        // "All shown" takes the filter: here the one case found by its number.
        var number = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{notTicked}")).GetProperty("caseNumber").GetString()!;
        var filtered = await lead.GetPageAsync($"/team?search={number}");
        Assert.Single(filtered.QuerySelectorAll("[data-testid=team-cases] tbody tr"));
        var allConfirm = await ParseAsync(await lead.SubmitAsync(filtered, $"/team/umverteilen?manager=&status=&search={number}&figure=", Fields(("AllShown", "true"), ("ToManagerId", im2.ToString()))));
        var allAction = $"/team/umverteilen/bestaetigen?manager=&status=&search={number}&figure=";
        await lead.FollowAsync(await lead.SubmitAsync(allConfirm, allAction, FormFields(allConfirm, allAction)));
        Assert.Contains(notTicked, await Caseload(await app.ClientFor("im2@musterstadt.example")));
    }
}
