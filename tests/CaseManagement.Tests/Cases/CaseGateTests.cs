using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.Cases;

/// <summary>
/// The one gate for every change of a case, seen through the API: typed problem answers (type and code) for every
/// refusal, the processing rules for bulk reassignment, transfers and approvals, and concurrent writers.
/// </summary>
public sealed class CaseGateTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im1@musterstadt.example";
    private const string Lead = "lead@musterstadt.example";
    private const string Dpo = "dpo@musterstadt.example";

    private static async Task<long> Version(HttpClient client, Guid id)
    {
        using var response = await client.GetAsync($"/api/v1/clients/{id}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Consultation(HttpClient client, Guid id, long version) =>
        await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/consultations", new { date = "2026-11-02", durationMinutes = 30, mode = "Office" }, version);

    private static void AssertRefused(HttpStatusCode status, JsonElement body, string code)
    {
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.EndsWith("/refused", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_restricted_case_refuses_work_with_code_restricted()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        using (var restricted = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/restriction", new { reason = "Richtigkeit bestritten" }))
        {
            Assert.Equal(HttpStatusCode.OK, restricted.StatusCode);
        }

        var (status, body) = await Consultation(manager, id, await Version(manager, id));
        AssertRefused(status, body, "restricted");
    }

    [Fact]
    public async Task A_case_without_consent_to_counselling_refuses_work_with_code_consent_withdrawn_but_can_be_closed()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);
        var (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/consent", new { givenOn = "2026-02-01", scopes = new[] { "Counselling" }, formVersion = "2026-01" }, 2);
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/consent/withdrawal", new { withdrawnOn = "2026-11-01", scopes = new[] { "Counselling" } }, 3);
        Assert.Equal(HttpStatusCode.OK, status);

        var (refused, body) = await Consultation(manager, id, 4);
        AssertRefused(refused, body, "consent-withdrawn");
        (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/close", new { reason = "ContactLost", closedOn = "2026-11-02" }, 4);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_closed_case_refuses_work_with_code_closed()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);
        var (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/close", new { reason = "GoalsReached", closedOn = "2026-11-01" }, 2);
        Assert.Equal(HttpStatusCode.OK, status);

        var (refused, body) = await Consultation(manager, id, 3);
        AssertRefused(refused, body, "closed");
    }

    [Fact]
    public async Task An_erased_case_refuses_every_change_with_code_erased()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        var version = await Version(manager, id);
        var caseNumber = (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString();
        using var requested = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/erasure", new { reason = "Antrag der betroffenen Person", legalBasis = "Art. 17 Abs. 1 lit. a DSGVO" });
        var erasureId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();
        using (var confirmed = await dpo.PostAsJsonAsync($"/api/v1/data-protection/erasures/{erasureId}/confirm", new { caseNumber }))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        var (refused, body) = await Consultation(manager, id, version + 1);
        AssertRefused(refused, body, "erased");
    }

    [Fact]
    public async Task A_step_that_does_not_follow_from_the_state_is_refused_with_code_invalid_transition()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);
        var (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/pause", new { note = "Urlaub" }, 2);
        Assert.Equal(HttpStatusCode.OK, status);

        var (refused, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/pause", new { note = "nochmal" }, 3);
        AssertRefused(refused, body, "invalid-transition");
    }

    [Fact]
    public async Task Validation_stale_not_found_and_forbidden_answers_carry_their_type()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);

        var (status, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/consultations", new { durationMinutes = 0 }, 2);
        Assert.Equal((HttpStatusCode)422, status);
        Assert.EndsWith("/validation", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("errors").TryGetProperty("date", out _));

        (status, _) = await Consultation(manager, id, 2);
        Assert.Equal(HttpStatusCode.OK, status);
        (status, body) = await Consultation(manager, id, 2);
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.EndsWith("/stale", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, body.GetProperty("currentVersion").GetInt64());

        using var other = await app.ClientFor("im3@musterstadt.example");
        (status, body) = await Consultation(other, id, 3);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.EndsWith("/not-found", body.GetProperty("type").GetString(), StringComparison.Ordinal);

        using var admin = await app.ClientFor("admin@musterstadt.example");
        using var forbidden = await admin.GetAsync($"/api/v1/clients/{id}");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.EndsWith("/forbidden", (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);

        using var described = await manager.GetAsync("/api/v1/problems/refused");
        Assert.Contains("consent-withdrawn", (await described.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_answers_with_the_new_version_only_unless_the_representation_is_asked_for()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);
        using var plain = app.Factory.CreateClient();
        plain.DefaultRequestHeaders.Authorization = manager.DefaultRequestHeaders.Authorization;

        var (status, body) = await Consultation(plain, id, 2);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, body.GetProperty("id").GetGuid());
        Assert.Equal(3, body.GetProperty("version").GetInt64());
        Assert.False(body.TryGetProperty("consultations", out _));

        (status, body) = await Consultation(manager, id, 3);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("consultations").GetArrayLength());
    }

    [Fact]
    public async Task Bulk_reassignment_and_transfer_of_a_restricted_case_follow_the_table_and_its_approval_is_refused()
    {
        using var manager = await app.ClientFor(Manager);
        using var lead = await app.ClientFor(Lead);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager, residence: "AsylumProcedurePending", nationality: "TR");
        var (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/individual-decision",
            new { justification = "Ausbildungsplatz zugesagt, Betrieb bestätigt schriftlich." }, 2);
        Assert.Equal(HttpStatusCode.OK, status);
        using (await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/restriction", new { reason = "Richtigkeit bestritten" }))
        {
        }

        // The approval decides eligibility (processing of content): refused.
        var approvals = await lead.GetFromJsonAsync<JsonElement>("/api/v1/approvals");
        var approvalId = approvals.EnumerateArray().Single(a => a.GetProperty("caseId").GetGuid() == id).GetProperty("id").GetGuid();
        using var decided = await lead.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/decision", new { decision = "approve" });
        AssertRefused(decided.StatusCode, await decided.Content.ReadFromJsonAsync<JsonElement>(), "restricted");

        // Responsibility follows staff changes (no content is processed): the move within the team is taken.
        var im2 = await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Users.Where(u => u.Email == "im2@musterstadt.example").Select(u => u.Id)));
        using var moved = await lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { id }, toManagerId = im2 });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        // … and so is a transfer request to another team.
        var im3 = await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Users.Where(u => u.Email == "im3@musterstadt.example").Select(u => u.Id)));
        using var transfer = await lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { id }, toManagerId = im3 });
        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        Assert.Equal(1, (await transfer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferRequested").GetInt32());
    }

    [Fact]
    public async Task Thirty_two_concurrent_writers_on_one_case_are_accepted_or_stale_and_every_accepted_one_is_in_the_stream()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);
        var clients = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => app.ClientFor(Manager)));
        var answers = await Task.WhenAll(clients.Select(async client =>
        {
            var version = await Version(client, id);
            var (status, _) = await Consultation(client, id, version);
            return status;
        }));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var accepted = answers.Count(s => s == HttpStatusCode.OK);
        var stale = answers.Count(s => s == HttpStatusCode.PreconditionFailed);
        Assert.Equal(32, accepted + stale);
        Assert.True(accepted >= 1);
        Assert.Equal(2 + accepted, await Version(manager, id));
        var consultations = (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("consultations").GetArrayLength();
        Assert.Equal(accepted, consultations);
    }

    [Fact]
    public async Task A_reassignment_racing_a_goal_update_ends_with_both_or_one_stale_and_never_a_lost_event()
    {
        using var manager = await app.ClientFor(Manager);
        using var lead = await app.ClientFor(Lead);
        var im2 = await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Users.Where(u => u.Email == "im2@musterstadt.example").Select(u => u.Id)));
        for (var round = 0; round < 5; round++)
        {
            var id = await CaseApi.NewCase(manager);
            var goal = CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals",
                new { field = "Language", text = "Deutschkurs B1", agreedOn = "2026-03-01", targetDate = "2027-03-01" }, 2);
            var reassign = lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { id }, toManagerId = im2 });
            var (goalStatus, _) = await goal;
            using var moved = await reassign;

            // A move committed first takes the case away from the manager: the goal is then "not found" for them.
            Assert.Contains(goalStatus, new[] { HttpStatusCode.Created, HttpStatusCode.PreconditionFailed, HttpStatusCode.NotFound });
            Assert.Contains(moved.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed });
            Assert.True(goalStatus == HttpStatusCode.Created || moved.StatusCode == HttpStatusCode.OK);
            Assert.True(goalStatus != HttpStatusCode.NotFound || moved.StatusCode == HttpStatusCode.OK);
            var expected = 2 + (goalStatus == HttpStatusCode.Created ? 1 : 0) + (moved.StatusCode == HttpStatusCode.OK ? 1 : 0);
            Assert.Equal(expected, await Version(lead, id));
        }
    }

    [Fact]
    public async Task With_quick_append_a_change_racing_a_commit_at_the_same_version_is_answered_stale_not_with_an_error()
    {
        // Database:AppendMode=Quick (a setting, measured in docs/performance.md) appends through marten.mt_quick_append_events,
        // whose version check reads the stream row without locking it: a change racing another writer's commit passes the
        // check and then collides on the event's (stream, version) key. Marten turns that duplicate key into its version
        // clash, so the manager gets 412 stale, not a 500, and nothing of the goal is stored.
        await using var quick = app.Factory.WithWebHostBuilder(b => b.UseSetting("Database:AppendMode", "Quick"));
        using var manager = quick.CreateClient();
        manager.DefaultRequestHeaders.Authorization = new("Bearer", await Api.ApiAuthenticationTests.TokenFor(manager, Manager));
        var id = await CaseApi.NewCase(manager);

        // Someone else's event at version 3, not yet committed; the manager's goal at version 2, the version the manager saw,
        // has to wait for it.
        await using var held = await HeldAppend.StartAsync(app.Factory.ConnectionString, id);
        var posting = CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals", new { field = "Housing", text = "Wohnung", agreedOn = "2026-02-02", targetDate = "2026-09-30" }, 2);
        await held.WaitUntilBlockingAsync(posting, "The goal");
        await held.CommitAsync();
        var (status, body) = await posting;
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.EndsWith("/stale", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, body.GetProperty("currentVersion").GetInt64());
        // Nothing of the manager's goal reached the stream: its events are the intake's two and the held one.
        await using var check = new Npgsql.NpgsqlConnection(app.Factory.ConnectionString);
        await check.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand($"select count(*) from marten.mt_events where stream_id = '{id}'", check);
        Assert.Equal(3L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task With_prepared_statements_the_setting_reaches_the_pool_and_changes_after_preparation_still_answer_right()
    {
        // Database:PreparedStatements (off by default, measured in docs/performance.md) is Npgsql's Max Auto Prepare on the
        // data source every Marten session uses. Npgsql prepares a statement once it was used five times on one connection;
        // eight changes one after another mostly reuse one pooled connection, so the later ones run on prepared statements
        // (not observable from outside the connection) and must answer exactly as before: accepted with the next version,
        // a stale version 412.
        Assert.Equal(0, new Npgsql.NpgsqlConnectionStringBuilder(app.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().ConnectionString).MaxAutoPrepare);
        await using var prepared = app.Factory.WithWebHostBuilder(b => b.UseSetting("Database:PreparedStatements", "64"));
        Assert.Equal(64, new Npgsql.NpgsqlConnectionStringBuilder(prepared.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().ConnectionString).MaxAutoPrepare);
        using var manager = prepared.CreateClient();
        manager.DefaultRequestHeaders.Authorization = new("Bearer", await Api.ApiAuthenticationTests.TokenFor(manager, Manager));
        var id = await CaseApi.NewCase(manager);
        long version = 2;
        for (var i = 0; i < 8; i++)
        {
            var (status, body) = await Consultation(manager, id, version);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(version + 1, body.GetProperty("version").GetInt64());
            version++;
        }

        var (stale, problem) = await Consultation(manager, id, version - 1);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale);
        Assert.Equal(version, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(version, await Version(manager, id));
    }
}
