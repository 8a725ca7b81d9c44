using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace CaseManagement.Tests.Reminders;

/// <summary>
/// The daily run evaluates only what changed or fell due (<c>cases.reminder_plans</c>) and withdraws reminders a later
/// change made moot, against the real database.
/// </summary>
public sealed class ReminderPlanTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        app.Factory.Clock.Reset();
        return ValueTask.CompletedTask;
    }

    private Task<Guid> Organisation() => app.WithDb(db => db.Organisations.Where(o => o.Name == "Stadt Musterstadt").Select(o => o.Id).SingleAsync());

    /// <summary>The daily run of the organisation as the job runs it; returns the reminders created and the cases evaluated.</summary>
    private async Task<(int Created, int Cases)> DailyRun(Guid organisation)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync(organisation, CancellationToken.None);
        var cases = await app.WithDb(db => db.ReminderRuns.Where(r => r.OrganisationId == organisation).Select(r => r.Cases).SingleAsync());
        return (created, cases);
    }

    private async Task<List<(string Kind, Guid Subject, LocalDate DueOn, bool Done, bool Withdrawn)>> RemindersOf(Guid caseId)
    {
        await using var connection = new NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select kind, subject_id, due_on, done_at is not null, withdrawn_at is not null from cases.reminders where case_id = $1", connection);
        command.Parameters.Add(new() { Value = caseId });
        var list = new List<(string, Guid, LocalDate, bool, bool)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((reader.GetString(0), reader.GetGuid(1), LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(2)), reader.GetBoolean(3), reader.GetBoolean(4)));
        }

        return list;
    }

    private async Task<LocalDate?> PlannedFor(Guid caseId)
    {
        await using var connection = new NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select next_on from cases.reminder_plans where case_id = $1", connection);
        command.Parameters.Add(new() { Value = caseId });
        return await command.ExecuteScalarAsync() is DateOnly day ? LocalDate.FromDateOnly(day) : null;
    }

    [Fact]
    public async Task Moving_a_goals_target_date_withdraws_the_old_reminder_and_plans_the_new_one()
    {
        var organisation = await Organisation();
        app.Factory.Clock.SetDay(new LocalDate(2026, 7, 1));
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(im1, supportStart: "2026-06-01");
        var goal = (await CaseApi.PostVersioned(im1, $"/api/v1/clients/{id}/goals", new { field = "LabourMarket", text = "Praktikum", agreedOn = "2026-06-02", targetDate = "2026-06-30" }, 2))
            .Body.GetProperty("goalId").GetGuid();
        await app.DispatchCaseChangesAsync();
        await DailyRun(organisation);
        var target = ("GoalTargetReached", goal, new LocalDate(2026, 6, 30), false, false);
        Assert.Contains(target, await RemindersOf(id));

        // The review moves the target to the end of September.
        var version = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64();
        var reviewed = await CaseApi.PostVersioned(im1, $"/api/v1/clients/{id}/reviews", new
        {
            date = "2026-07-01", summary = "Praktikum verschoben.", nextReview = "2026-12-01",
            goals = new object[] { new { goalId = goal, outcome = "Change", newTargetDate = "2026-09-30" } },
        }, version);
        Assert.Equal(HttpStatusCode.OK, reviewed.Status);
        await app.DispatchCaseChangesAsync();
        Assert.Null(await PlannedFor(id)); // the change voided the plan: the next run evaluates the case
        var (_, evaluated) = await DailyRun(organisation);

        Assert.Equal(1, evaluated);
        var reminders = await RemindersOf(id);
        Assert.Contains(("GoalTargetReached", goal, new LocalDate(2026, 6, 30), true, true), reminders);
        Assert.DoesNotContain(reminders, r => r.Kind == "GoalTargetReached" && !r.Done);
        var planned = await PlannedFor(id);
        Assert.NotNull(planned);
        Assert.InRange(planned.Value, new LocalDate(2026, 7, 2), new LocalDate(2026, 9, 30));

        // On the new target date the new reminder is there (the days in between evaluate only what fell due).
        app.Factory.Clock.SetDay(new LocalDate(2026, 9, 30));
        await DailyRun(organisation);
        Assert.Contains(("GoalTargetReached", goal, new LocalDate(2026, 9, 30), false, false), await RemindersOf(id));
        Assert.Equal(1, (await RemindersOf(id)).Count(r => r.Kind == "GoalTargetReached" && !r.Done));
    }

    [Fact]
    public async Task The_daily_run_twice_on_a_day_creates_nothing_and_reads_no_case_the_second_time()
    {
        var organisation = await Organisation();
        app.Factory.Clock.SetDay(new LocalDate(2026, 8, 3));
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(im1, supportStart: "2026-05-01");
        Assert.Equal(HttpStatusCode.Created, (await CaseApi.PostVersioned(im1, $"/api/v1/clients/{id}/goals", new { field = "Language", text = "B1", agreedOn = "2026-05-02", targetDate = "2026-07-31" }, 2)).Status);
        await app.DispatchCaseChangesAsync();

        var (created, evaluated) = await DailyRun(organisation);
        Assert.True(created > 0, "the first run creates the due reminders");
        Assert.True(evaluated > 0);
        var after = await RemindersOf(id);

        var second = await DailyRun(organisation);

        Assert.Equal((0, 0), second);
        Assert.Equal(after, await RemindersOf(id));

        // A change of the case brings it (and only it) into the next run; nothing new is due, nothing is created.
        var version = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await CaseApi.PostVersioned(im1, $"/api/v1/clients/{id}/goals", new { field = "Housing", text = "Wohnung", agreedOn = "2026-08-01", targetDate = "2027-08-01" }, version)).Status);
        await app.DispatchCaseChangesAsync();
        Assert.Equal((0, 1), await DailyRun(organisation));
    }
}
