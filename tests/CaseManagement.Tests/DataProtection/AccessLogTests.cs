using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.DataProtection;
using CaseManagement.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.DataProtection;

/// <summary>Every read of a case file is logged; the DPO views, filters and exports the log; old entries are purged.</summary>
public sealed class AccessLogTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<List<CaseAccessEntry>> Entries(Guid caseId) =>
        app.WithDb(db => db.CaseAccessLog.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task Reads_in_the_web_and_the_API_are_logged_with_who_what_channel_and_purpose()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        var manager = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.Id).SingleAsync());
        // The answer to the intake carries the case file, so it counts as a read too.
        Assert.Equal([("API", "Fallakte")], (await Entries(id)).Select(e => (e.Channel, e.What)));
        await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == id).ExecuteDeleteAsync());

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clients/{id}"))
        {
            request.Headers.Add(CaseAccessLog.PurposeHeader, "Beratungstermin vorbereiten");
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/clients/{id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/clients/{id}/plan.pdf")).StatusCode);
        using var web = await app.SignedInAs("im1@musterstadt.example");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync($"/faelle/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync($"/faelle/{id}/druck")).StatusCode);

        var entries = await Entries(id);
        Assert.Equal(
            [("API", "Fallakte", "Beratungstermin vorbereiten"), ("API", "Verlauf", null), ("API", "PDF", null), ("Web", "Fallakte", null), ("Web", "Druck", null)],
            entries.Select(e => (e.Channel, e.What, e.Purpose)));
        Assert.All(entries, e => Assert.Equal((manager, "Manager"), (e.UserId, e.Role)));

        // A read that is refused (another manager) is not a read of the file.
        using var other = await app.ClientFor("im2@musterstadt.example");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/clients/{id}")).StatusCode);
        Assert.Equal(5, (await Entries(id)).Count);
    }

    [Fact]
    public async Task The_DPO_filters_the_log_on_the_page_in_the_API_and_as_CSV()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == id).ExecuteDeleteAsync()); // the intake's answer
        await api.GetAsync($"/api/v1/clients/{id}");
        await api.GetAsync($"/api/v1/clients/{id}/history");

        using var dpo = await app.SignedInAs("dpo@musterstadt.example");
        var page = await dpo.GetPageAsync($"/datenschutz/zugriffsprotokoll?caseId={id}");
        Assert.Equal("Zugriffsprotokoll", page.Heading());
        var rows = page.QuerySelectorAll("[data-testid=access-log] tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains("Jonas Weber", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Verlauf", rows[0].TextContent, StringComparison.Ordinal); // newest first
        Assert.Equal("2 Einträge", page.QuerySelector("[data-testid=total]")!.TextContent.Trim());
        Assert.Equal("Fall-ID", page.QuerySelector("label[for=CaseId]")!.TextContent.Trim());

        using var csv = await dpo.GetAsync($"/datenschutz/zugriffsprotokoll/export.csv?caseId={id}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Zeitpunkt;Benutzer-ID;Name;Rolle;Fall-ID;Kanal;Gelesen;Zweck", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains($";Jonas Weber;Integrationsmanager:in;{id};API;Fallakte;", lines[2], StringComparison.Ordinal);

        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");
        var json = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseId={id}");
        Assert.Equal(2, json.GetProperty("total").GetInt32());
        Assert.Equal(["Verlauf", "Fallakte"], json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("what").GetString()));
        var none = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseId={id}&from=2020-01-01&to=2020-12-31");
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Only_the_own_organisations_DPO_sees_the_log()
    {
        var stranger = Guid.NewGuid();
        await app.WithDb(async db =>
        {
            db.CaseAccessLog.Add(new CaseAccessEntry
            {
                OrganisationId = await db.Organisations.Where(o => o.Name == "Landkreis Beispiel").Select(o => o.Id).SingleAsync(),
                UserId = Guid.NewGuid(), Role = "Manager", CaseId = stranger, At = DateTimeOffset.UtcNow, Channel = "Web", What = "Fallakte",
            });
            return await db.SaveChangesAsync();
        });

        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");
        Assert.Equal(0, (await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseId={stranger}")).GetProperty("total").GetInt32());

        foreach (var email in new[] { "im1@musterstadt.example", "lead@musterstadt.example", "admin@musterstadt.example" })
        {
            using var client = await app.ClientFor(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/data-protection/access-log")).StatusCode);
            using var web = await app.SignedInAs(email);
            foreach (var url in new[] { "/datenschutz/zugriffsprotokoll", "/datenschutz/zugriffsprotokoll/export.csv" })
            {
                using var denied = await web.GetAsync(url);
                Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
                Assert.StartsWith("http://localhost/konto/kein-zugriff", denied.Headers.Location!.ToString(), StringComparison.Ordinal);
            }
        }

        using var anonymous = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/data-protection/access-log")).StatusCode);
    }

    [Fact]
    public async Task Entries_older_than_the_retention_period_are_purged_by_a_nightly_job()
    {
        var caseId = Guid.NewGuid();
        var organisation = await app.WithDb(db => db.Organisations.Select(o => o.Id).FirstAsync());
        await app.WithDb(async db =>
        {
            foreach (var monthsAgo in new[] { 25, 23 })
            {
                db.CaseAccessLog.Add(new CaseAccessEntry
                {
                    OrganisationId = organisation, UserId = Guid.NewGuid(), Role = "Manager", CaseId = caseId,
                    At = DateTimeOffset.UtcNow.AddMonths(-monthsAgo), Channel = "Web", What = "Fallakte",
                });
            }

            return await db.SaveChangesAsync();
        });

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AccessLogPurge>().RunAsync(CancellationToken.None) >= 1);
        }

        var left = await Entries(caseId);
        Assert.True(left.Single().At > DateTimeOffset.UtcNow.AddMonths(-24));

        await using var scheduled = app.Factory.WithWebHostBuilder(b => b.UseSetting("Hangfire:Schedule", "true"));
        _ = scheduled.Services;
        using var connection = scheduled.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs([DataProtectionJobs.AccessLogPurgeJobId]).Single();
        Assert.Equal(("0 3 * * *", "Europe/Berlin", nameof(DataProtectionJobs.PurgeAccessLog)), (job.Cron, job.TimeZoneId, job.Job.Method.Name));
    }
}
