using System.Net;
using CaseManagement.Tests.Infrastructure;
using CaseManagement.Reminders;
using CaseManagement.Web.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CaseManagement.Tests.Reminders;

/// <summary>Hangfire on PostgreSQL: the daily job per organisation, exactly-once effect with two servers, the dashboard's access.</summary>
public sealed class ReminderJobsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private WebApplicationFactory<Program> WithJobs(bool server, bool schedule) => app.Factory.WithWebHostBuilder(b => b
        .UseSetting("Hangfire:Server", server ? "true" : "false")
        .UseSetting("Hangfire:Schedule", schedule ? "true" : "false"));

    [Fact]
    public async Task Every_organisation_gets_a_daily_job_at_06_30_Berlin_time_with_its_id_as_the_only_argument()
    {
        await using var scheduled = WithJobs(server: false, schedule: true);
        _ = scheduled.Services; // starts the host and its hosted services
        var organisations = await app.WithDb(db => db.Organisations.Select(o => o.Id).ToListAsync());

        using var connection = scheduled.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);
        foreach (var organisation in organisations)
        {
            var job = jobs[ReminderSchedule.JobId(organisation)];
            Assert.Equal(("30 6 * * *", "Europe/Berlin"), (job.Cron, job.TimeZoneId));
            Assert.Equal(nameof(ReminderJobs.ScanOrganisation), job.Job.Method.Name);
            Assert.Equal(organisation, Assert.IsType<Guid>(job.Job.Args[0]));
        }
    }

    [Fact]
    public async Task The_job_run_by_two_servers_on_the_same_storage_creates_each_reminder_once()
    {
        app.Factory.Clock.SetDay(new LocalDate(2026, 6, 15));
        try
        {
            using var manager = await app.ClientFor("im2@musterstadt.example");
            var id = await CaseApi.NewCase(manager, supportStart: "2026-05-01");
            await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals", new { field = "Housing", text = "Wohnung", agreedOn = "2026-05-02", targetDate = "2026-06-01" }, 2);
            var organisation = await app.WithDb(db => db.Organisations.Where(o => o.Name == "Stadt Musterstadt").Select(o => o.Id).SingleAsync());

            await using var first = WithJobs(server: true, schedule: false);
            await using var second = WithJobs(server: true, schedule: false);
            var monitor = first.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            var jobIds = new List<string>();
            foreach (var node in new[] { first, second })
            {
                jobIds.Add(node.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ReminderJobs>(j => j.ScanOrganisation(organisation, CancellationToken.None)));
                jobIds.Add(node.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ReminderJobs>(j => j.ScanOrganisation(organisation, CancellationToken.None)));
            }

            // Wait until all four jobs have succeeded (both servers poll the same queue; the case's own
            // immediate evaluation may run alongside).
            bool AllSucceeded() => jobIds.All(j => monitor.JobDetails(j).History.Any(h => h.StateName == "Succeeded"));
            for (var i = 0; i < 300 && !AllSucceeded(); i++)
            {
                await Task.Delay(100);
            }

            Assert.True(AllSucceeded());
            var reminders = await app.WithDb(db => db.Reminders.Where(r => r.CaseId == id).ToListAsync());
            Assert.Equal(["GoalTargetReached", "NoContact"], reminders.Select(r => r.Kind).Order(StringComparer.Ordinal));
        }
        finally
        {
            app.Factory.Clock.Reset();
        }
    }

    [Theory]
    [InlineData("admin@musterstadt.example")]
    [InlineData("im1@musterstadt.example")]
    [InlineData("lead@musterstadt.example")]
    [InlineData("dpo@musterstadt.example")]
    public async Task The_dashboard_is_closed_to_every_organisation_role(string email)
    {
        // Only the platform operator opens it (Operations/PlatformOperatorTests).
        using var session = await app.SignedInAs(email);
        using var response = await session.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Without_sign_in_the_dashboard_sends_to_the_sign_in_page()
    {
        using var session = app.NewSession();
        using var response = await session.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/konto/anmelden", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_node_runs_the_jobs_and_answers_only_health_checks()
    {
        // The test application itself runs no Hangfire server (Hangfire:Server=false) …
        Assert.DoesNotContain(app.Factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal));
        await using var worker = app.Factory.WithWebHostBuilder(b => b.UseSetting("Role", "worker"));
        using var client = worker.CreateClient();

        // … the worker does, and serves no pages or API.
        Assert.Contains(worker.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/konto/anmelden")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/me")).StatusCode);

        var organisation = await app.WithDb(db => db.Organisations.Select(o => o.Id).FirstAsync());
        var jobId = app.Factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ReminderJobs>(j => j.ScanOrganisation(organisation, CancellationToken.None));
        var monitor = worker.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        for (var i = 0; i < 300 && monitor.JobDetails(jobId).History.All(h => h.StateName != "Succeeded"); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(monitor.JobDetails(jobId).History, h => h.StateName == "Succeeded");
    }
}
