using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Cases;
using CaseManagement.Storage;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.Plans;

/// <summary>
/// The write cost of scenario 1 (docs/performance.md): the database calls a goal update over the API makes, counted
/// from Npgsql's activities of that one request (its W3C trace).
/// </summary>
public sealed class GoalUpdateCostTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    /// <summary>
    /// The database calls of a goal update with the default settings (plus the commit). The goal was created on this node
    /// just before, so the gate decides on the write model and summary the node kept from that change
    /// (<see cref="CaseWriteCache"/>): only the write batch, in which Marten's quick-append function checks the version
    /// (<c>Database:AppendMode</c> Quick; Rich reads the stream's state in a call of its own). With the entry gone (another
    /// node, a restart, the lifetime over) the write model and the summary are read first in one batch: two calls.
    /// Either way the inline projections take both documents from the identity map (<c>Database:IdentityMapForAggregates</c>;
    /// without it they read both again), and the session check is answered from the node's memory
    /// (<c>Sessions:CacheSeconds</c>). A change that adds a call fails here.
    /// </summary>
    [Fact]
    public async Task A_goal_update_after_a_change_on_this_node_makes_one_database_call_two_without_the_kept_case_and_the_next_read_shows_it()
    {
        await app.Factory.Services.GetRequiredService<SharedCacheListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var cache = app.Factory.Services.GetRequiredService<CaseWriteCache>();
        using var client = await app.ClientFor("im1@musterstadt.example");
        client.DefaultRequestHeaders.Remove("Prefer");
        var id = await CaseApi.NewCase(client);
        var created = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Language", text = "Deutschkurs B1 abschließen", agreedOn = "2026-11-02", targetDate = "2027-06-30" }, 2);
        var goalId = created.Body.GetProperty("goalId").GetGuid();

        var kept = await Calls(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "InProgress" }, 3);
        cache.Forget(Assert.Single(cache.Held(id)).Tenant, id);
        var read = await Calls(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "Achieved" }, 4);
        foreach (var call in kept.Select(c => "kept: " + c).Concat(read.Select(c => "read: " + c)))
        {
            output.WriteLine(call);
        }

        Assert.Single(kept);
        Assert.Equal(2, read.Count);
        Assert.Contains(read, c => c.Contains("from marten.mt_doc_casesummary", StringComparison.Ordinal));
        Assert.DoesNotContain(kept, c => c.Contains("from marten.mt_doc_casesummary", StringComparison.Ordinal));

        // Read your writes: the summary the projection wrote from the kept and from the read document carries both changes.
        var file = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        Assert.Equal(5, file.GetProperty("version").GetInt64());
        Assert.Equal("Achieved", Assert.Single(file.GetProperty("goals").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("Deutschkurs B1 abschließen", file.GetProperty("goals")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_stale_update_and_two_updates_after_it_each_decide_on_the_stored_state()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        var created = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Housing", text = "Wohnung finden", agreedOn = "2026-11-02", targetDate = "2027-06-30" }, 2);
        var goalId = created.Body.GetProperty("goalId").GetGuid();

        var stale = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "InProgress" }, 2);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        var moved = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "InProgress" }, 3);
        Assert.Equal(HttpStatusCode.OK, moved.Status);
        var achieved = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/status", new { status = "Achieved" }, 4);
        Assert.Equal("Achieved", achieved.Body.GetProperty("goals")[0].GetProperty("status").GetString());
        Assert.Equal(5, achieved.Body.GetProperty("version").GetInt64());
    }

    /// <summary>
    /// The reads of the load scenario (scenario 7: the case file 60 %, the caseload 30 %): one call each in the request's
    /// trace — the summary; the session check comes from the node's memory. The case file's access-log entry is written
    /// by <see cref="CaseManagement.DataProtection.AccessLogWriter"/> outside that trace, in one INSERT with the entries of
    /// reads that arrive at the same time (a read on its own still waits for an INSERT of its own: two round trips), and
    /// committed before the answer. A change that adds a call to every read fails here.
    /// </summary>
    [Fact]
    public async Task Reading_a_case_file_and_the_caseload_over_the_API_makes_one_database_call_each_and_the_read_is_logged_before_the_answer()
    {
        await app.Factory.Services.GetRequiredService<SharedCacheListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        await client.GetAsync($"/api/v1/clients/{id}"); // the first read of a node warms its caches (deputies, the session)
        var logged = await LoggedReads(id);

        var file = await Calls(client, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clients/{id}"));
        Assert.Equal(logged + 1, await LoggedReads(id));
        var list = await Calls(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/clients?page=1"));
        foreach (var call in file.Select(c => "case file: " + c).Concat(list.Select(c => "caseload: " + c)))
        {
            output.WriteLine(call);
        }

        Assert.Single(file);
        Assert.Single(list);
    }

    private Task<int> LoggedReads(Guid caseId) =>
        app.WithDb(db => db.CaseAccessLog.CountAsync(e => e.CaseId == caseId));

    private static Task<IReadOnlyList<string>> Calls(HttpClient client, string url, object body, long version)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return Calls(client, request);
    }

    private static async Task<IReadOnlyList<string>> Calls(HttpClient client, HttpRequestMessage request)
    {
        var trace = ActivityTraceId.CreateRandom();
        var calls = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.TraceId == trace)
                {
                    calls.Enqueue($"{activity.Duration.TotalMilliseconds:0.00} ms {activity.DisplayName}: " + string.Join(" | ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var sent = request;
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return calls.ToList();
    }
}
