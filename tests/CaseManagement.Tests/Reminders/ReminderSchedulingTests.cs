using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace CaseManagement.Tests.Reminders;

/// <summary>
/// When reminders are evaluated: the daily run across the DST changes (Hangfire's cron in Europe/Berlin
/// and our NodaTime computation agree), the immediate evaluation after a change, reassignment moving
/// reminders at once, and a failing job that is retried without duplicates.
/// </summary>
public sealed class ReminderSchedulingTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string Musterstadt = "Stadt Musterstadt";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        app.Factory.Clock.Reset();
        return ValueTask.CompletedTask;
    }

    private WebApplicationFactory<Program> Worker() => app.Factory.WithWebHostBuilder(b => b
        .UseSetting("Hangfire:Server", "true")
        .UseSetting("Hangfire:Schedule", "false")
        .UseSetting("Hangfire:SchedulePollingSeconds", "1")
        .UseSetting("Hangfire:QueuePollSeconds", "1"));

    private Task<Guid> Organisation() => app.WithDb(db => db.Organisations.Where(o => o.Name == Musterstadt).Select(o => o.Id).SingleAsync());

    [Theory]
    [InlineData("2026-03-28T12:00:00Z", "06:30", "2026-03-29T04:30:00Z")] // the night the clocks go forward: 06:30 CEST
    [InlineData("2026-03-29T04:29:00Z", "06:30", "2026-03-29T04:30:00Z")]
    [InlineData("2026-03-28T12:00:00Z", "02:30", "2026-03-29T01:00:00Z")] // 02:30 does not exist that night: at 03:00 CEST
    [InlineData("2026-10-24T12:00:00Z", "06:30", "2026-10-25T05:30:00Z")] // the night they go back: 06:30 CET
    [InlineData("2026-10-24T12:00:00Z", "02:30", "2026-10-25T00:30:00Z")] // 02:30 exists twice: the first one, once
    [InlineData("2026-10-25T05:31:00Z", "06:30", "2026-10-26T05:30:00Z")]
    public void The_daily_run_is_at_the_local_time_across_the_DST_changes(string now, string dailyAt, string expected)
    {
        var nowUtc = DateTime.Parse(now, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var expectedUtc = DateTime.Parse(expected, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var at = TimeOnly.Parse(dailyAt, CultureInfo.InvariantCulture);

        // Our own computation (shown to administrators) …
        Assert.Equal(Instant.FromDateTimeUtc(expectedUtc), ReminderSchedule.NextRun(Instant.FromDateTimeUtc(nowUtc), at));

        // … and Hangfire's, for the job as we register it, with Hangfire's clock set to the same moment.
        var storage = app.Factory.Services.GetRequiredService<JobStorage>();
        var jobs = new RecurringJobManager(storage, Hangfire.Common.JobFilterProviders.Providers, new DefaultTimeZoneResolver(), () => nowUtc);
        var organisation = Guid.NewGuid();
        ReminderSchedule.Register(jobs, organisation, at);
        try
        {
            using var connection = storage.GetConnection();
            var job = connection.GetRecurringJobs([ReminderSchedule.JobId(organisation)]).Single();
            Assert.Equal(expectedUtc, job.NextExecution);
        }
        finally
        {
            jobs.RemoveIfExists(ReminderSchedule.JobId(organisation));
        }
    }

    [Fact]
    public async Task A_change_that_makes_a_reminder_due_today_is_evaluated_at_once_and_one_due_tomorrow_at_midnight()
    {
        app.Factory.Clock.SetDay(new LocalDate(2026, 6, 15));
        var organisation = await Organisation();
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(manager, supportStart: "2026-06-01");

        // Target date tomorrow: nothing now, a job for the case at the start of 16 June (Berlin) = 22:00 UTC.
        var (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals", new { field = "Housing", text = "Wohnung", agreedOn = "2026-06-02", targetDate = "2026-06-16" }, 2);
        Assert.Equal(HttpStatusCode.Created, status);
        await app.DispatchCaseChangesAsync();
        var monitor = app.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var scheduled = monitor.ScheduledJobs(0, 1000).Select(j => j.Value).Where(j => j.Job.Method.Name == nameof(ReminderJobs.ScanCase) && Equals(j.Job.Args[1], id)).ToList();
        Assert.Equal(new DateTime(2026, 6, 15, 22, 0, 0, DateTimeKind.Utc), Assert.Single(scheduled).EnqueueAt);
        Assert.Equal([organisation, id], Assert.Single(scheduled).Job.Args.Take(2)); // ids only

        // Target date today: a job for this case is enqueued and, with a server running, creates the reminder now.
        (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals", new { field = "Language", text = "Kurs", agreedOn = "2026-06-02", targetDate = "2026-06-15" }, 3);
        Assert.Equal(HttpStatusCode.Created, status);
        await app.DispatchCaseChangesAsync();
        await using var worker = Worker();
        _ = worker.Services;
        var kinds = await Poll.Eventually(
            () => app.WithDb(db => db.Reminders.Where(r => r.CaseId == id).Select(r => r.Kind).ToListAsync()),
            k => k.Contains("GoalTargetReached"));
        Assert.Equal(["GoalTargetReached"], kinds);

        // Another change the same day (nothing new due, tomorrow's check already planned) creates no job for the case.
        var jobsForCase = $"select count(*) from hangfire.job where arguments::text like '%{id}%'";
        var before = await Sql(jobsForCase);
        Assert.Equal(2, before); // the one planned for midnight and the one that ran at once
        (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/consultations", new { date = "2026-06-15", durationMinutes = 30, mode = "Office", fields = new[] { "Language" } }, 4);
        Assert.Equal(HttpStatusCode.OK, status);
        await app.DispatchCaseChangesAsync();
        Assert.Equal(before, await Sql(jobsForCase));
    }

    [Fact]
    public async Task A_change_never_waits_for_the_evaluation_of_an_earlier_change_of_the_same_case()
    {
        app.Factory.Clock.SetDay(new LocalDate(2026, 6, 15));
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(manager, supportStart: "2026-06-01");
        await app.DispatchCaseChangesAsync();
        Assert.Equal(HttpStatusCode.Created, (await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals", new { field = "Housing", text = "Wohnung", agreedOn = "2026-06-02", targetDate = "2026-09-30" }, 2)).Status);

        // A dispatcher has taken the case's row and is still evaluating it (its transaction holds the deleted row) …
        await using var dispatcher = new NpgsqlConnection(app.OwnerConnectionString);
        await dispatcher.OpenAsync();
        await using var evaluation = await dispatcher.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"delete from cases.case_changes where case_id = '{id}'", dispatcher, evaluation))
        {
            Assert.Equal(1, await take.ExecuteNonQueryAsync());
        }

        // … and the next change of the case is answered at once: before migration 0032 its upsert of the case's row waited
        // for that transaction (here: for ever; the request is cancelled after 30 s and the test fails).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{id}/goals")
        {
            Content = JsonContent.Create(new { field = "Language", text = "Kurs", agreedOn = "2026-06-02", targetDate = "2026-09-30" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"3\"");
        using var response = await manager.SendAsync(request, timeout.Token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // The evaluation fails (rolled back): both changes wait, as two rows of the case, and one round takes both.
        await evaluation.RollbackAsync();
        var rows = $"select count(*) from cases.case_changes where case_id = '{id}'";
        Assert.Equal(2, await Sql(rows));
        Assert.Equal(2, await app.DispatchCaseChangesAsync());
        Assert.Equal(0, await Sql(rows));
    }

    [Fact]
    public async Task Reassigning_a_case_moves_its_open_reminders_to_the_new_manager_at_once()
    {
        app.Factory.Clock.SetDay(new LocalDate(2026, 7, 1));
        await using var worker = Worker();
        _ = worker.Services;
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(im1, supportStart: "2026-06-01");
        Assert.Equal(HttpStatusCode.Created, (await CaseApi.PostVersioned(im1, $"/api/v1/clients/{id}/goals", new { field = "LabourMarket", text = "Praktikum", agreedOn = "2026-06-02", targetDate = "2026-06-30" }, 2)).Status);
        await app.DispatchCaseChangesAsync();
        var im1Id = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.Id).SingleAsync());
        var im2Id = await app.WithDb(db => db.Users.Where(u => u.Email == "im2@musterstadt.example").Select(u => u.Id).SingleAsync());
        Assert.Equal([im1Id], await Poll.Eventually(
            () => app.WithDb(db => db.Reminders.Where(r => r.CaseId == id).Select(r => r.AssigneeId).ToListAsync()), a => a.Count == 1));

        using var lead = await app.ClientFor("lead@musterstadt.example");
        using var response = await lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { id }, toManagerId = im2Id, note = "Urlaub" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.DispatchCaseChangesAsync();

        Assert.Equal([im2Id], await Poll.Eventually(
            () => app.WithDb(db => db.Reminders.Where(r => r.CaseId == id).Select(r => r.AssigneeId).ToListAsync()), a => a.SequenceEqual([im2Id])));
    }

    [Fact]
    public async Task A_job_that_fails_on_a_database_error_is_retried_and_then_creates_each_reminder_once()
    {
        // The case is opened on a day when nothing is due, so no change triggers an evaluation of it.
        app.Factory.Clock.SetDay(new LocalDate(2026, 5, 4));
        var organisation = await Organisation();
        using var manager = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(manager, supportStart: "2026-05-01");
        await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals", new { field = "SchoolAndEducation", text = "Anmeldung", agreedOn = "2026-05-02", targetDate = "2026-06-10" }, 2);
        app.Factory.Clock.SetDay(new LocalDate(2026, 6, 20));

        // Injected failure: the first insert of a reminder for this case raises an error (a sequence, because it outlives the rollback;
        // the function runs with its owner's rights, as the application's role may not use the owner's sequence).
        await Sql($"""
            create sequence public.injected_failures;
            create function public.fail_first_insert() returns trigger language plpgsql security definer as $$
            begin
              if nextval('public.injected_failures') = 1 then raise exception 'injected database error'; end if;
              return new;
            end $$;
            create trigger fail_first_insert before insert on cases.reminders for each row
              when (new.case_id = '{id}') execute function public.fail_first_insert();
            """);
        try
        {
            await using var worker = Worker();
            var monitor = worker.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            var jobId = worker.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ReminderJobs>(j => j.ScanOrganisation(organisation, CancellationToken.None));
            var history = await Poll.Eventually(() => Task.FromResult(monitor.JobDetails(jobId).History), h => h.Any(s => s.StateName == "Succeeded"), seconds: 60);

                if (!history.Any(s => s.StateName == "Succeeded"))
            {
                await using var c = new NpgsqlConnection(app.Factory.ConnectionString);
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand("select string_agg(id||' '||jobid||' '||queue||' '||coalesce(fetchedat::text,'-'), ' | ') from hangfire.jobqueue", c);
                var q = await cmd.ExecuteScalarAsync();
                await using var cmd2 = new NpgsqlCommand("select string_agg(id||' '||lastheartbeat::text||' '||data, ' | ') from hangfire.server", c);
                Assert.Fail($"job {jobId} queue: {q} servers: {await cmd2.ExecuteScalarAsync()} now {DateTime.UtcNow:O}");
            }

            Assert.Contains(history, s => s.StateName == "Succeeded");
            Assert.Contains(history, s => s.StateName == "Scheduled" && (s.Reason ?? "").StartsWith("Retry attempt 1 of 5", StringComparison.Ordinal));
            var kinds = await app.WithDb(db => db.Reminders.Where(r => r.CaseId == id).OrderBy(r => r.Kind).Select(r => r.Kind).ToListAsync());
            Assert.Equal(["GoalTargetReached", "NoContact"], kinds);
        }
        finally
        {
            await Sql("drop trigger fail_first_insert on cases.reminders; drop function public.fail_first_insert(); drop sequence public.injected_failures;");
        }
    }

    /// <summary>Raw SQL as the owner: arranging a failure needs rights the application's role does not have.</summary>
    private async Task<long> Sql(string sql)
    {
        await using var connection = new NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
