using System.Net.Http.Json;
using CaseManagement.Organisations;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;

namespace CaseManagement.Tests.Hardening;

/// <summary>One case with a date from before the input ranges existed does not stop the organisation's reminders.</summary>
public sealed class ReminderRunIsolationTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_poisoned_case_is_reported_to_the_administrators_and_every_other_case_gets_its_reminders()
    {
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var healthy = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            healthy.Add(await CaseApi.NewCase(manager, supportStart: "2026-02-01"));
        }

        var poisoned = await CaseApi.NewCase(manager, supportStart: "2026-02-01");
        var organisation = await app.WithDb(db => EntityFrameworkQueryableExtensions.SingleAsync(db.Organisations.Where(o => o.Name == DemoData.Musterstadt).Select(o => o.Id)));
        // A value stored before the ranges existed (the API refuses it today): a residence document valid until 01.01.0001.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
            await using var session = store.LightweightSession(TenantIds.For(organisation));
            session.Events.Append(poisoned, new ResidenceStatusChanged(poisoned, new ResidenceStatus(ResidenceKind.RefugeeProtection, new LocalDate(1, 1, 1)), Guid.NewGuid(),
                SystemClock.Instance.GetCurrentInstant()));
            await session.SaveChangesAsync();
        }

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync(organisation, CancellationToken.None);
        }

        var remindedCases = await RemindedCases(organisation);
        Assert.All(healthy, id => Assert.Contains(id, remindedCases));
        Assert.Contains(poisoned, remindedCases); // its plausible reminders (no contact) are planned too

        var (problem, failed) = await ProblemOf(organisation, poisoned);
        Assert.Equal(ReminderScan.DateOutOfRange, problem);
        Assert.True(failed >= 1);
        Assert.Contains(app.Factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(poisoned.ToString(), StringComparison.Ordinal));

        // The organisation's administrators see it, with the case number only; another organisation's do not.
        var caseNumber = (await manager.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/clients/{poisoned}")).GetProperty("caseNumber").GetString()!;
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var start = await admin.GetPageAsync("/");
        Assert.Contains("nicht geplant", start.QuerySelector("[data-testid=reminder-problems]")?.TextContent ?? "", StringComparison.Ordinal);
        var jobs = await admin.GetPageAsync("/verwaltung/hintergrundauftraege");
        var table = jobs.QuerySelector("[data-testid=problems]")?.TextContent ?? "";
        Assert.Contains(caseNumber, table, StringComparison.Ordinal);
        Assert.Contains("außerhalb des zulässigen Bereichs", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Fall-", jobs.Body!.TextContent, StringComparison.Ordinal); // no client names

        using var otherAdmin = await app.SignedInAs("admin@beispiel.example");
        var otherJobs = await otherAdmin.GetPageAsync("/verwaltung/hintergrundauftraege");
        Assert.NotNull(otherJobs.QuerySelector("[data-testid=no-problems]"));
        Assert.DoesNotContain(caseNumber, otherJobs.Body!.TextContent, StringComparison.Ordinal);

        using var im = await app.SignedInAs("im1@musterstadt.example");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await im.GetAsync("/verwaltung/hintergrundauftraege")).StatusCode);
    }

    private async Task<HashSet<Guid>> RemindedCases(Guid organisation)
    {
        await using var connection = new NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select distinct case_id from cases.reminders where organisation_id = $1", connection);
        command.Parameters.Add(new() { Value = organisation });
        await using var rows = await command.ExecuteReaderAsync();
        var ids = new HashSet<Guid>();
        while (await rows.ReadAsync())
        {
            ids.Add(rows.GetGuid(0));
        }

        return ids;
    }

    private async Task<(string? Problem, int Failed)> ProblemOf(Guid organisation, Guid caseId)
    {
        await using var connection = new NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (select problem from cases.reminder_problems where organisation_id = $1 and case_id = $2), (select failed from cases.reminder_runs where organisation_id = $1)",
            connection);
        command.Parameters.Add(new() { Value = organisation });
        command.Parameters.Add(new() { Value = caseId });
        await using var row = await command.ExecuteReaderAsync();
        await row.ReadAsync();
        return (row.IsDBNull(0) ? null : row.GetString(0), row.IsDBNull(1) ? 0 : row.GetInt32(1));
    }
}
