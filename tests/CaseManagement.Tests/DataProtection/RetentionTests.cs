using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static CaseManagement.Tests.DataProtection.RichCases;

namespace CaseManagement.Tests.DataProtection;

/// <summary>Closed cases are erased after the retention period; the DPO sees them 30 days ahead and can hold one.</summary>
public sealed class RetentionTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly SmtpTestServer smtp = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        app.Factory.Clock.Reset();
        await smtp.DisposeAsync();
    }

    private WebApplicationFactory<Program> Mailing() => app.Factory.WithWebHostBuilder(b => smtp.Serve(b, "https://cm.musterstadt.example/"));

    private async Task<RetentionResult> Run(WebApplicationFactory<Program> node)
    {
        var organisation = await app.WithDb(db => db.Organisations.Where(o => o.Name == DemoData.Musterstadt).Select(o => o.Id).SingleAsync());
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetentionRun>().RunAsync(organisation, CancellationToken.None);
    }

    private static async Task<(Guid Id, string Number)> ClosedCase(HttpClient manager, string closedOn)
    {
        var id = await CaseApi.NewCase(manager);
        await Change(manager, $"/api/v1/clients/{id}/close", new { reason = "GoalsReached", closedOn });
        return (id, (await Get(manager, $"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString()!);
    }

    [Fact]
    public async Task Closed_cases_are_announced_30_days_ahead_and_erased_on_the_day_unless_held_or_reopened()
    {
        app.Factory.Clock.SetDay(new LocalDate(2026, 11, 30));
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var due = await ClosedCase(manager, "2026-03-01");
        var held = await ClosedCase(manager, "2026-03-01");
        var reopened = await ClosedCase(manager, "2026-03-01");
        var later = await ClosedCase(manager, "2026-06-01");
        await using var mailing = Mailing();

        // 36 months after closing is 01.03.2029: on 29.01.2029 that is still more than 30 days away.
        app.Factory.Clock.SetDay(new LocalDate(2029, 1, 29));
        Assert.Equal(0, (await Run(mailing)).Announced);

        app.Factory.Clock.SetDay(new LocalDate(2029, 1, 30));
        var announced = await Run(mailing);
        Assert.True(announced.Announced >= 3);
        var list = await dpo.GetFromJsonAsync<JsonElement>("/api/v1/data-protection/retention");
        var notice = list.EnumerateArray().Single(n => n.GetProperty("caseId").GetGuid() == due.Id);
        Assert.Equal(("2029-03-01", "2026-03-01", "2029-01-30"),
            (notice.GetProperty("erasedFrom").GetString(), notice.GetProperty("closedOn").GetString(), notice.GetProperty("announcedOn").GetString()));
        Assert.DoesNotContain(list.EnumerateArray(), n => n.GetProperty("caseId").GetGuid() == later.Id);

        // The DPOs got an e-mail with the number and the link — no case data.
        var mail = Assert.Single(smtp.Messages, m => m.To.Contains("dpo@musterstadt.example"));
        Assert.Contains("https://cm.musterstadt.example/datenschutz/aufbewahrung", mail.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(due.Number, mail.Data, StringComparison.Ordinal);

        // One is held with a reason (on the page), one is reopened by its manager.
        using (var web = await app.SignedInAs(Dpo))
        {
            var page = await web.GetPageAsync("/datenschutz/aufbewahrung");
            Assert.Equal("Aufbewahrung", page.Heading());
            var noReason = await WebSession.ParseAsync(await web.SubmitAsync(page, $"/datenschutz/aufbewahrung/{held.Id}/zurueckhalten", WebSession.Fields(("reason", ""))));
            Assert.Single(noReason.ErrorMessages(), m => m.StartsWith("Bitte den Grund für das Zurückhalten", StringComparison.Ordinal));
            var after = await web.FollowAsync(await web.SubmitAsync(page, $"/datenschutz/aufbewahrung/{held.Id}/zurueckhalten", WebSession.Fields(("reason", "Klage beim Verwaltungsgericht anhängig"))));
            Assert.Contains("Klage beim Verwaltungsgericht anhängig", after.QuerySelector($"tr[data-case='{held.Number}'] [data-testid=hold]")!.TextContent, StringComparison.Ordinal);
        }

        await Change(manager, $"/api/v1/clients/{reopened.Id}/reopen", new { note = "Doch weitere Begleitung" });

        // The day before nothing happens; on the day the due case goes, the held and the reopened stay.
        app.Factory.Clock.SetDay(new LocalDate(2029, 2, 28));
        var dayBefore = await Run(mailing);
        Assert.Equal((0, 1), (dayBefore.Erased, dayBefore.Withdrawn));
        app.Factory.Clock.SetDay(new LocalDate(2029, 3, 1));
        Assert.Equal(1, (await Run(mailing)).Erased);

        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/clients/{due.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/clients/{held.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/clients/{reopened.Id}")).StatusCode);
        var audit = (await dpo.GetFromJsonAsync<JsonElement>("/api/v1/data-protection/erasures")).EnumerateArray().Single(e => e.GetProperty("caseId").GetGuid() == due.Id);
        Assert.Equal(("Retention", "Completed", RetentionRules.LegalBasis, "Aufbewahrungsfrist (automatisch)"),
            (audit.GetProperty("trigger").GetString(), audit.GetProperty("status").GetString(), audit.GetProperty("legalBasis").GetString(), audit.GetProperty("requestedBy").GetString()));
        Assert.DoesNotContain((await dpo.GetFromJsonAsync<JsonElement>("/api/v1/data-protection/retention")).EnumerateArray(), n => n.GetProperty("caseId").GetGuid() == due.Id);
    }

    [Fact]
    public async Task The_retention_run_is_a_nightly_recurring_job_in_Berlin_time()
    {
        await using var scheduled = app.Factory.WithWebHostBuilder(b => b.UseSetting("Hangfire:Schedule", "true"));
        _ = scheduled.Services;
        using var connection = scheduled.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs([DataProtectionJobs.RetentionJobId]).Single();
        Assert.Equal(("30 2 * * *", "Europe/Berlin", nameof(DataProtectionJobs.RunRetention)), (job.Cron, job.TimeZoneId, job.Job.Method.Name));
    }
}
