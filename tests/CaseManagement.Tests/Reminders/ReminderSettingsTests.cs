using System.Net;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using CaseManagement.Tests.Organisations;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CaseManagement.Tests.Reminders;

/// <summary>An organisation's own reminder thresholds and daily time, set by its administrators.</summary>
public sealed class ReminderSettingsTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string Page = "/verwaltung/erinnerungen";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        app.Factory.Clock.Reset();
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<KeyValuePair<string, string>> Form(string noContactWeeks = "6", string dailyAt = "06:30", string version = "0") => WebSession.Fields(
        ("NoContactWeeks", noContactWeeks), ("SupportEndingMonths", "3"), ("ResidenceExpiringWeeks", "8"), ("ConsentValidMonths", "24"),
        ("ConsentRenewalNoticeWeeks", "4"), ("ApprovalWaitingWorkingDays", "5"), ("EligibilityRecheckDays", "0"), ("DailyAt", dailyAt), ("Version", version));

    private Task<Guid> Organisation(string name) => app.WithDb(db => db.Organisations.Where(o => o.Name == name).Select(o => o.Id).SingleAsync());

    private Task<OrganisationReminderSettings?> Stored(Guid organisation) =>
        app.WithDb(db => db.ReminderSettings.AsNoTracking().SingleOrDefaultAsync(s => s.OrganisationId == organisation));

    /// <summary>Back to the operator's defaults (tests of this class share one database).</summary>
    private Task<int> ResetSettings() => app.WithDb(db => db.ReminderSettings.ExecuteDeleteAsync());

    private async Task<int> NoContactReminders(Guid caseId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderJobs>().ScanOrganisation(await Organisation("Stadt Musterstadt"), CancellationToken.None);
        return await app.WithDb(db => db.Reminders.CountAsync(r => r.CaseId == caseId && r.Kind == "NoContact"));
    }

    [Fact]
    public async Task An_administrator_sets_own_thresholds_and_time_the_scan_uses_them_and_the_daily_job_moves()
    {
        await ResetSettings();
        var musterstadt = await Organisation("Stadt Musterstadt");
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var page = await admin.GetPageAsync(Page);
        Assert.Equal("Es gelten die Voreinstellungen des Betriebs.", page.QuerySelector("[data-testid=settings-source]")!.TextContent.Trim());
        Assert.Equal("6", page.QuerySelector("#NoContactWeeks")!.GetAttribute("value"));
        Assert.Equal("Erinnern, wenn so viele Wochen kein Kontakt war", page.QuerySelector("label[for=NoContactWeeks]")!.TextContent.Trim());

        // A case without contact for three weeks: no reminder with the default of six weeks …
        app.Factory.Clock.SetDay(new LocalDate(2026, 6, 1));
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(manager, supportStart: "2026-05-11");
        Assert.Equal(0, await NoContactReminders(id));

        // … but with the organisation's own two weeks.
        await WebSession.AssertRedirectAsync(await admin.PostFormAsync(Page, Page, Form(noContactWeeks: "2", dailyAt: "07:15")));
        Assert.Equal(1, await NoContactReminders(id));

        page = await admin.GetPageAsync(Page);
        Assert.Equal("Es gelten die eigenen Einstellungen Ihrer Organisation.", page.QuerySelector("[data-testid=settings-source]")!.TextContent.Trim());
        Assert.Equal(("2", "07:15"), (page.QuerySelector("#NoContactWeeks")!.GetAttribute("value"), page.QuerySelector("#DailyAt")!.GetAttribute("value")));
        Assert.Contains("um 07:15 Uhr", page.QuerySelector("[data-testid=next-run]")!.TextContent, StringComparison.Ordinal);
        using var connection = app.Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs([ReminderSchedule.JobId(musterstadt)]).Single();
        Assert.Equal(("15 7 * * *", "Europe/Berlin"), (job.Cron, job.TimeZoneId));

        // The other organisation keeps the defaults.
        using var other = await app.SignedInAs("admin@beispiel.example");
        Assert.Equal("6", (await other.GetPageAsync(Page)).QuerySelector("#NoContactWeeks")!.GetAttribute("value"));
        Assert.Null(await Stored(await Organisation("Landkreis Beispiel")));
    }

    [Fact]
    public async Task Invalid_values_get_German_messages_and_change_nothing()
    {
        var musterstadt = await Organisation("Stadt Musterstadt");
        var before = await Stored(musterstadt);
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var response = await admin.PostFormAsync(Page, Page, Form(noContactWeeks: "0", dailyAt: "25:00", version: (before?.Version ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await WebSession.ParseAsync(response);
        Assert.Equal(
            ["Uhrzeit des täglichen Laufs: bitte als SS:MM angeben, z. B. 06:30.", "Wochen ohne Kontakt: bitte eine ganze Zahl von 1 bis 52 angeben."],
            shown.ErrorMessages().Order(StringComparer.Ordinal));
        Assert.Equal("true", shown.QuerySelector("#NoContactWeeks")!.GetAttribute("aria-invalid"));
        Assert.Equal("NoContactWeeks-error", shown.QuerySelector("#NoContactWeeks")!.GetAttribute("aria-describedby"));
        Assert.Equivalent(before, await Stored(musterstadt));
    }

    [Fact]
    public async Task A_save_on_a_stale_page_is_refused_without_overwriting()
    {
        var musterstadt = await Organisation("Stadt Musterstadt");
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var version = (await Stored(musterstadt))?.Version ?? 0;
        var stale = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WebSession.AssertRedirectAsync(await admin.PostFormAsync(Page, Page, Form(noContactWeeks: "3", version: stale)));

        var response = await admin.PostFormAsync(Page, Page, Form(noContactWeeks: "9", version: stale));
        var shown = await WebSession.ParseAsync(response);
        Assert.Equal([ReminderSettingsHandlers.StaleMessage], shown.ErrorMessages());
        var stored = await Stored(musterstadt);
        Assert.Equal((3, version + 1), (stored!.NoContactWeeks, stored.Version));
    }

    [Theory]
    [InlineData("im1@musterstadt.example")]
    [InlineData("lead@musterstadt.example")]
    [InlineData("dpo@musterstadt.example")]
    public async Task Only_administrators_open_or_save_the_settings(string email)
    {
        var musterstadt = await Organisation("Stadt Musterstadt");
        var before = await Stored(musterstadt);
        using var session = await app.SignedInAs(email);
        foreach (var response in new[] { await session.GetAsync(Page), await session.PostCraftedAsync("/", Page, Form(noContactWeeks: "1")) })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("http://localhost/konto/kein-zugriff", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        Assert.Equivalent(before, await Stored(musterstadt));
    }

    [Fact]
    public async Task A_new_organisation_gets_its_daily_job_when_it_is_added()
    {
        var (exitCode, output) = await DemoDataTests.RunWebCommand(app.Factory.ConnectionString, "Production",
            new Dictionary<string, string> { ["CM_ADMIN_PASSWORD"] = "Anfang!2026x" },
            "add-organisation", "Gemeinde Neuhausen", "admin@neuhausen.example", "Erika Muster");

        Assert.True(exitCode == 0, output);
        var organisation = await Organisation("Gemeinde Neuhausen");
        using var connection = app.Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs([ReminderSchedule.JobId(organisation)]).Single();
        Assert.Equal(("30 6 * * *", "Europe/Berlin", organisation), (job.Cron, job.TimeZoneId, (Guid)job.Job.Args[0]));
    }
}
