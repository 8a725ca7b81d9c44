using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Cases;

/// <summary>Changing housing and residence status: re-evaluated eligibility, If-Match/412, and the stale form in the UI.</summary>
public sealed class CaseChangeTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<HttpResponseMessage> Post(HttpClient client, string url, object body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_move_into_private_housing_is_saved_and_the_verdict_changes_with_a_new_ETag()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        using var response = await Post(client, $"/api/v1/clients/{id}/housing", new { type = "PrivateHousing", since = "2026-11-01" }, "\"2\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"4\"", response.Headers.ETag!.Tag);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NotEligible", body.GetProperty("eligibility").GetProperty("verdict").GetString());
        Assert.Equal("PrivateHousing", body.GetProperty("housing").GetString());
    }

    [Fact]
    public async Task A_new_residence_status_re_evaluates_eligibility()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        using var response = await Post(client, $"/api/v1/clients/{id}/residence-status", new { kind = "EmploymentToleration", validUntil = "2027-06-30" }, "\"2\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NeedsIndividualDecision", body.GetProperty("eligibility").GetProperty("verdict").GetString());
        Assert.Equal("2027-06-30", body.GetProperty("residenceValidUntil").GetString());
    }

    [Fact]
    public async Task Without_If_Match_a_change_is_refused_with_428_and_nothing_changes()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        using var response = await Post(client, $"/api/v1/clients/{id}/housing", new { type = "PrivateHousing", since = "2026-11-01" }, null);

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
        Assert.Equal("Versionsangabe fehlt.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Of_two_writers_with_the_same_version_one_gets_412_with_what_changed_and_nothing_is_lost()
    {
        using var first = await app.ClientFor("im1@musterstadt.example");
        using var second = await app.ClientFor("lead@musterstadt.example");
        var id = await CaseApi.NewCase(first);

        var responses = await Task.WhenAll(
            Post(first, $"/api/v1/clients/{id}/housing", new { type = "PrivateHousing", since = "2026-11-01" }, "\"2\""),
            Post(second, $"/api/v1/clients/{id}/residence-status", new { kind = "SettlementPermit" }, "\"2\""));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], responses.Select(r => r.StatusCode).Order());
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        var problem = await loser.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Jemand anderes hat diese Daten inzwischen geändert.", problem.GetProperty("title").GetString());
        Assert.Contains("geändert:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var current = await first.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        Assert.Equal(4, current.GetProperty("version").GetInt64());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Invalid_changes_are_422_and_other_managers_get_404()
    {
        using var owner = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(owner);

        using (var future = await Post(owner, $"/api/v1/clients/{id}/housing", new { type = "PrivateHousing", since = "2099-01-01" }, "\"2\""))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);
            var errors = (await future.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal("Das Einzugsdatum darf nicht in der Zukunft liegen.", errors.GetProperty("since")[0].GetString());
        }

        using (var unchanged = await Post(owner, $"/api/v1/clients/{id}/housing", new { type = "FollowUpAccommodation", since = "2026-01-15" }, "\"2\""))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, unchanged.StatusCode);
            Assert.Contains("Die Wohnsituation ist unverändert.", await unchanged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var email in new[] { "im2@musterstadt.example", "im1@beispiel.example" })
        {
            using var other = await app.ClientFor(email);
            using var response = await Post(other, $"/api/v1/clients/{id}/housing", new { type = "PrivateHousing", since = "2026-11-01" }, "\"2\"");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(2, (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task In_the_UI_a_stale_form_shows_what_changed_keeps_the_input_and_saves_nothing()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs("im1@musterstadt.example");
        var page = await session.GetPageAsync($"/faelle/{id}");

        // Meanwhile someone else records a new residence status.
        using (var other = await Post(api, $"/api/v1/clients/{id}/residence-status", new { kind = "SettlementPermit" }, "\"2\""))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        var version = page.QuerySelectorAll("form[action$='/wohnen'] input[name=Version]").Single().GetAttribute("value")!;
        var stale = await session.SubmitAsync(page, $"/faelle/{id}/wohnen", Fields(("Version", version), ("Type", "PrivateHousing"), ("Since", "2026-11-01")));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var shown = await ParseAsync(stale);
        Assert.Contains(shown.ErrorMessages(), m => m.StartsWith("Jemand anderes hat den Fall inzwischen geändert", StringComparison.Ordinal)
                                                   && m.Contains("Aufenthaltsstatus geändert: Niederlassungserlaubnis", StringComparison.Ordinal));
        Assert.Equal("PrivateHousing", shown.QuerySelector("#housing-type option[selected]")!.GetAttribute("value"));
        Assert.Equal("2026-11-01", shown.QuerySelector("#housing-since")!.GetAttribute("value"));
        Assert.Equal("Anschlussunterbringung (AU)", shown.QuerySelectorAll("[data-testid=situation] dd")[0].TextContent);

        var resubmitted = await session.SubmitAsync(shown, $"/faelle/{id}/wohnen", Fields(
            ("Version", shown.QuerySelector("form[action$='/wohnen'] input[name=Version]")!.GetAttribute("value")!), ("Type", "PrivateHousing"), ("Since", "2026-11-01")));
        var updated = await session.FollowAsync(resubmitted);
        Assert.Equal("nicht Zielgruppe", updated.QuerySelector("[data-testid=verdict]")!.TextContent);
        Assert.Contains("Die Wohnsituation wurde geändert", updated.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_history_lists_every_change_with_author_newest_first_in_API_and_on_the_case_page()
    {
        using var manager = await app.ClientFor("im1@musterstadt.example");
        using var lead = await app.ClientFor("lead@musterstadt.example");
        var id = await CaseApi.NewCase(manager);
        using (var change = await Post(lead, $"/api/v1/clients/{id}/residence-status", new { kind = "SettlementPermit" }, "\"2\""))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        }

        var history = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/history");

        var entries = history.EnumerateArray().Select(e => (Version: e.GetProperty("version").GetInt64(), Author: e.GetProperty("author").GetString(), Description: e.GetProperty("description").GetString())).ToList();
        Assert.Equal([4L, 3L, 2L, 1L], entries.Select(e => e.Version));
        Assert.Equal(("Petra Schulz", "Aufenthaltsstatus geändert: Niederlassungserlaubnis"), (entries[1].Author, entries[1].Description));
        Assert.Equal("Miriam Keller", entries[3].Author);
        Assert.StartsWith("Fall ", entries[3].Description, StringComparison.Ordinal);
        Assert.EndsWith("Z", history[0].GetProperty("at").GetString(), StringComparison.Ordinal);

        using var session = await app.SignedInAs("im1@musterstadt.example");
        var page = await session.GetPageAsync($"/faelle/{id}/verlauf");
        var rows = page.QuerySelectorAll("[data-testid=timeline] tbody tr").Select(r => r.QuerySelectorAll("td")[1].TextContent + ": " + r.QuerySelectorAll("td")[2].TextContent).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Contains("Petra Schulz: Aufenthaltsstatus geändert: Niederlassungserlaubnis", rows);

        using var colleague = await app.ClientFor("im2@musterstadt.example");
        using var hidden = await colleague.GetAsync($"/api/v1/clients/{id}/history");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }
}
