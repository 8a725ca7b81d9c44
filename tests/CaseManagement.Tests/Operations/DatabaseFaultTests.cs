using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Reminders;
using CaseManagement.Storage;
using CaseManagement.Tests.Api;
using CaseManagement.Tests.Infrastructure;
using CaseManagement.Web.Infrastructure;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// Faults of the database as one application node sees them (issue 21; the multi-process scenarios are the cluster's
/// tests): a restart that kills every pooled connection, an outage, a job of a dead worker, a second node's cache.
/// </summary>
public sealed class DatabaseFaultTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im2@musterstadt.example";

    private static WebApplicationFactoryClientOptions Browser => new() { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost") };

    private static async Task<HttpClient> ApiClient(WebApplicationFactory<Program> node, string email, string password = CaseManagement.Demo.DemoData.DefaultPassword)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiAuthenticationTests.TokenFor(client, email, password));
        return client;
    }

    [Fact]
    public async Task After_the_database_ended_every_connection_the_next_read_and_write_succeed()
    {
        using var api = await ApiClient(app.Factory, Manager);
        var id = await CaseApi.NewCase(api);
        using var page = await app.SignedInAs(Manager);
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync("/faelle")).StatusCode);

        // As a PostgreSQL restart: every pooled connection of the application is dead.
        Assert.True(await app.Postgres.TerminateConnectionsAsync(app.Factory.ConnectionString) > 0);
        using (var read = await api.GetAsync($"/api/v1/clients/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        await app.Postgres.TerminateConnectionsAsync(app.Factory.ConnectionString);
        Assert.Equal(HttpStatusCode.OK, (await page.GetAsync("/faelle")).StatusCode);

        await app.Postgres.TerminateConnectionsAsync(app.Factory.ConnectionString);
        await CaseApi.NewCase(api); // a write: 201 (it failed before anything was written, so it was tried again)

        // The fault was real: the dead connections were met, and the requests tried once more on fresh ones.
        Assert.Contains(app.Factory.Logs.Entries, e => e.Category.EndsWith(nameof(DatabaseOutage), StringComparison.Ordinal) && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task With_the_database_gone_the_API_answers_a_German_503_pages_a_German_error_page_and_both_recover_without_restart()
    {
        using var link = new DatabaseLink(app.Factory.ConnectionString);
        await using var node = app.Factory.WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Postgres", link.ConnectionString));
        using var api = await ApiClient(node, Manager);
        using var browser = new WebSession(app.Factory.Logs, node.CreateClient(Browser));
        await AssertRedirectAsync(await browser.SignInAsync(Manager, CaseManagement.Demo.DemoData.DefaultPassword));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/faelle")).StatusCode);

        link.Cut();

        using (var problem = await api.GetAsync("/api/v1/clients"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, problem.StatusCode);
            Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(problem.Headers.RetryAfter);
            var body = await problem.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Der Dienst ist vorübergehend nicht erreichbar.", body.GetProperty("title").GetString());
            Assert.Equal("/api/v1/problems/unavailable", body.GetProperty("type").GetString());
        }

        using (var error = await browser.GetAsync("/faelle"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
            Assert.NotNull(error.Headers.RetryAfter);
            var document = await ParseAsync(error);
            Assert.Equal("Vorübergehend nicht erreichbar", document.Heading());
            Assert.Equal("de", document.DocumentElement.GetAttribute("lang"));
        }

        using (var ready = await node.CreateClient().GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        link.Restore();

        using (var ready = await node.CreateClient().GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/faelle")).StatusCode);
        using var list = await api.GetAsync("/api/v1/clients");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task A_job_fetched_by_a_worker_that_died_is_taken_again_within_a_minute()
    {
        var jobs = app.Factory.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Factory.Services.GetRequiredService<JobStorage>();
        var jobId = jobs.Create(Job.FromExpression<ReminderJobs>(j => j.ScanCase(Guid.NewGuid(), Guid.NewGuid(), CancellationToken.None), "fault_test"),
            new Hangfire.States.EnqueuedState("fault_test"));

        // A worker fetched it 45 seconds ago and was killed (its fetch is never acknowledged).
        await using (var owner = new NpgsqlConnection(app.OwnerConnectionString))
        {
            await owner.OpenAsync();
            await using var fetched = new NpgsqlCommand("update hangfire.jobqueue set fetchedat = now() - interval '45 seconds' where jobid = $1", owner);
            fetched.Parameters.Add(new() { Value = long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture) });
            Assert.Equal(1, await fetched.ExecuteNonQueryAsync());
        }

        using var connection = storage.GetConnection();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var again = connection.FetchNextJob(["fault_test"], timeout.Token);
        Assert.Equal(jobId, again.JobId);
        again.RemoveFromQueue();
    }

    /// <summary>
    /// A process killed while it held one of Hangfire's locks (the recurring-job scheduler's, taken every few seconds for
    /// milliseconds) leaves its lock row behind; it is taken over after <see cref="BackgroundJobs.DistributedLockTimeout"/>
    /// (one minute), not after the library's ten minutes without any daily run.
    /// </summary>
    [Fact]
    public async Task A_lock_left_by_a_killed_process_is_taken_over_after_a_minute()
    {
        var storage = app.Factory.Services.GetRequiredService<JobStorage>();
        var resource = $"fault-test:{Guid.NewGuid():N}";
        await using (var owner = new NpgsqlConnection(app.OwnerConnectionString))
        {
            await owner.OpenAsync();
            // The storage keeps a lock as a row named after the schema and the resource.
            await using var left = new NpgsqlCommand("insert into hangfire.lock (resource, acquired) values ($1, now() - interval '90 seconds')", owner);
            left.Parameters.Add(new() { Value = $"{BackgroundJobs.Schema}:{resource}" });
            Assert.Equal(1, await left.ExecuteNonQueryAsync());
        }

        using var connection = storage.GetConnection();
        using var taken = connection.AcquireDistributedLock(resource, TimeSpan.FromSeconds(5));
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task Ending_a_Vertretung_on_one_node_ends_the_deputy_access_on_the_other_node_at_once()
    {
        await using var nodeB = app.Factory.WithWebHostBuilder(_ => { });
        await nodeB.Services.GetRequiredService<SharedCacheListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var absent = await app.CreateManagerAsync("Abwesend");
        var deputy = await app.CreateManagerAsync("Vertritt");
        using var absentApi = await app.ClientFor(absent.Email);
        var id = await CaseApi.NewCase(absentApi);
        using var lead = await app.SignedInAs("lead@musterstadt.example");
        var today = CaseManagement.Common.Time.Today(app.Factory.Clock);
        await AssertRedirectAsync(await lead.PostFormAsync("/team", "/team/vertretungen", Fields(
            ("DeputyId", deputy.Id.ToString()), ("AbsentManagerId", absent.Id.ToString()),
            ("FirstDay", today.ToString("yyyy-MM-dd", null)), ("LastDay", today.PlusDays(3).ToString("yyyy-MM-dd", null)))));
        using var deputyOnB = await ApiClient(nodeB, deputy.Email, AppFixture.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await deputyOnB.GetAsync($"/api/v1/clients/{id}")).StatusCode); // node B now knows the grant

        var team = await lead.GetPageAsync("/team");
        var end = team.QuerySelectorAll("[data-testid=deputies] tbody tr").Single(r => r.TextContent.Contains("Test Vertritt", StringComparison.Ordinal))
            .QuerySelector("form")!.GetAttribute("action")!;
        await AssertRedirectAsync(await lead.SubmitAsync(team, end, []));

        var refused = await Poll.Eventually(() => StatusAsync(deputyOnB, $"/api/v1/clients/{id}"), s => s == HttpStatusCode.NotFound, seconds: 2) == HttpStatusCode.NotFound;
        Assert.True(refused, "Node B still served the case to the former deputy two seconds after the Vertretung ended on node A.");
    }

    /// <summary>
    /// A node answers the session check from memory for a few seconds (SignIn/SessionCache.cs); a revocation made
    /// elsewhere — a sign-out through the other node, an account deactivated by an operator's SQL on no node at all —
    /// must still end the session there at once (the triggers of migration 0034 notify every node at the commit).
    /// </summary>
    [Fact]
    public async Task A_sign_out_on_one_node_or_a_deactivation_by_SQL_ends_the_session_on_the_other_node_at_once()
    {
        await using var nodeB = app.Factory.WithWebHostBuilder(_ => { });
        await nodeB.Services.GetRequiredService<SharedCacheListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        await app.Factory.Services.GetRequiredService<SharedCacheListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var leaving = await app.CreateManagerAsync("Abmeldung");
        using var onB = await ApiClient(nodeB, leaving.Email, AppFixture.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/clients?page=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/clients?page=1")).StatusCode); // now from node B's memory

        using var onA = app.Factory.CreateClient();
        onA.DefaultRequestHeaders.Authorization = onB.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.NoContent, (await onA.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.True(await RefusedWithinTwoSeconds(onB), "Node B still accepted the token two seconds after its session was ended on node A.");

        var deactivated = await app.CreateManagerAsync("Deaktiviert");
        using var deactivatedOnB = await ApiClient(nodeB, deactivated.Email, AppFixture.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await deactivatedOnB.GetAsync("/api/v1/clients?page=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await deactivatedOnB.GetAsync("/api/v1/clients?page=1")).StatusCode);
        await using (var connection = new NpgsqlConnection(app.Factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var deactivate = new NpgsqlCommand("""update identity."AspNetUsers" set "IsActive" = false where "Id" = $1""", connection);
            deactivate.Parameters.Add(new() { Value = deactivated.Id });
            Assert.Equal(1, await deactivate.ExecuteNonQueryAsync());
        }

        Assert.True(await RefusedWithinTwoSeconds(deactivatedOnB), "Node B still accepted the token two seconds after the account was deactivated.");
    }

    private static async Task<bool> RefusedWithinTwoSeconds(HttpClient client) =>
        await Poll.Eventually(() => StatusAsync(client, "/api/v1/clients?page=1"), s => s == HttpStatusCode.Unauthorized, seconds: 2) == HttpStatusCode.Unauthorized;

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }

    [Fact]
    public async Task Stale_refused_invalid_and_unknown_writes_log_nothing_at_error_level()
    {
        using var api = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(api);
        var before = app.Factory.Logs.Entries.Count;

        // Five writers at the same version at once: one wins, the others are stale (some only at Marten's commit check).
        var racing = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/developments", new { date = "2026-02-02", text = "Entwicklung " + i }, 2)));
        Assert.Contains(racing, r => r.Status == HttpStatusCode.OK);
        Assert.Contains(racing, r => r.Status == HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/developments", new { date = "2026-02-02", text = "alt" }, 1)).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/developments", new { date = "2026-02-02", text = "" }, 3)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await CaseApi.PostVersioned(api, $"/api/v1/clients/{Guid.NewGuid()}/developments", new { date = "2026-02-02", text = "x" }, 1)).Status);
        using (var bad = await api.PostAsync($"/api/v1/clients/{id}/developments", new StringContent("{", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(bad.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PreconditionRequired);
        }

        var errors = app.Factory.Logs.Entries.Skip(before).Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message}").ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_restored_copy_runs_no_jobs_registers_none_and_sends_no_mail()
    {
        var database = await app.Postgres.CreateDatabaseAsync();
        await using var copy = new CaseManagementFactory(database);
        await using var restored = copy.WithWebHostBuilder(b => b
            .UseSetting("Maintenance:RestoredCopy", "true")
            .UseSetting("Hangfire:Server", "true")
            .UseSetting("Hangfire:Schedule", "true")
            .UseSetting("Reminders:ChangeDispatcher", "true")
            .UseSetting("Mail:Host", "127.0.0.1"));

        var hosted = restored.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        Assert.DoesNotContain(hosted, name => name.Contains("BackgroundJobServer", StringComparison.Ordinal));
        Assert.DoesNotContain(nameof(ReminderScheduleAtStart), hosted);
        Assert.DoesNotContain(nameof(CaseChangeDispatcher), hosted);
        Assert.False(restored.Services.GetRequiredService<Mailer>().Options.Configured);
        using var connection = restored.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Empty(connection.GetRecurringJobs());
        using var ready = await restored.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
