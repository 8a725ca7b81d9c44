using System.Net;
using System.Net.Http.Headers;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Tests.Exports;

/// <summary>
/// Every CSV export (access log on the page and in the API, funding report on the page and in the API): text
/// that starts like a formula comes out with a leading single quote, and the file reads back with the library.
/// </summary>
public sealed class CsvExportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Period = "from=2026-01-01&to=2026-12-31";

    private static async Task<List<string[]>> Download(HttpClient client, string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        return CsvFileTests.Read(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Purposes_that_start_like_a_formula_come_out_neutralised_in_the_access_log_on_the_page_and_in_the_API()
    {
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(manager);
        await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == caseId).ExecuteDeleteAsync()); // the intake's answer

        // = + - @ arrive as a manager types them into the X-Access-Purpose header of an API read …
        var purposes = new List<string>();
        foreach (var start in new[] { "=", "+", "-", "@" })
        {
            var purpose = start + "HYPERLINK(\"http://example.org/?a=1;b=2\";\"Klick\")";
            purposes.Add(purpose);
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clients/{caseId}");
            read.Headers.Add(CaseAccessLog.PurposeHeader, purpose);
            Assert.Equal(HttpStatusCode.OK, (await manager.SendAsync(read)).StatusCode);
        }

        // … tab and carriage return cannot (HTTP trims and forbids them in headers): entries stored with them,
        // e.g. from before the purpose was trimmed, are exported all the same.
        var organisation = await app.WithDb(db => db.Organisations.Where(o => o.Name == DemoData.Musterstadt).Select(o => o.Id).SingleAsync());
        var im1 = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.Id).SingleAsync());
        foreach (var purpose in new[] { "\t=1+1", "\r=1+1\nzweite Zeile; \"zitiert\"" })
        {
            purposes.Add(purpose);
            await app.WithDb(db =>
            {
                db.CaseAccessLog.Add(new CaseAccessEntry
                {
                    OrganisationId = organisation, UserId = im1, Role = Roles.Manager, CaseId = caseId, At = DateTimeOffset.UtcNow, Channel = "API", What = "Fallakte", Purpose = purpose,
                });
                return db.SaveChangesAsync();
            });
        }

        using var web = await app.SignedInAs("dpo@musterstadt.example");
        using var api = await app.ClientFor("dpo@musterstadt.example");
        var files = new[]
        {
            await Download(web.Client, $"/datenschutz/zugriffsprotokoll/export.csv?caseId={caseId}"),
            await Download(api, $"/api/v1/data-protection/access-log?caseId={caseId}&format=csv"),
        };
        foreach (var rows in files)
        {
            Assert.Equal(["Zeitpunkt", "Name", "Rolle", "Fallnummer", "Kanal", "Gelesen", "Zweck"], rows[0]);
            Assert.Equal(purposes.Count + 1, rows.Count);
            Assert.All(rows.Skip(1), row => Assert.Equal(7, row.Length));
            Assert.Equal(purposes.Select(p => "'" + p).Order(StringComparer.Ordinal), rows.Skip(1).Select(r => r[6]).Order(StringComparer.Ordinal));
            // Names and case numbers, never internal ids.
            Assert.All(rows.Skip(1), row => Assert.Matches(@"^\d{4}-\d{4}$", row[3]));
            Assert.All(rows.Skip(1), row => Assert.Equal("Miriam Keller", row[1]));
            Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.Contains(caseId.ToString(), StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task An_organisation_name_that_starts_like_a_formula_comes_out_neutralised_in_the_funding_report_on_the_page_and_in_the_API()
    {
        var organisation = await app.WithDb(db => db.Organisations.SingleAsync(o => o.Name == DemoData.Musterstadt));
        using var web = await app.SignedInAs("lead@musterstadt.example");
        using var api = await app.ClientFor("lead@musterstadt.example");
        try
        {
            foreach (var start in CsvFileTests.FormulaStarts)
            {
                var name = start + "cmd|' /C calc'!A0; \"Stadt\"\nMusterstadt";
                await app.WithDb(db => db.Organisations.Where(o => o.Id == organisation.Id).ExecuteUpdateAsync(o => o.SetProperty(x => x.Name, name)));

                foreach (var rows in new[]
                         {
                             await Download(web.Client, $"/berichte/foerderung?{Period}&scope=org&format=csv"),
                             await Download(api, $"/api/v1/reports/funding?{Period}&format=csv"),
                             await Download(api, $"/api/v1/reports/funding?{Period}", accept: "text/csv"),
                         })
                {
                    Assert.Equal(["Auswertung Zeitraum – Integrationsmanagement"], rows[0]);
                    Assert.Equal(["Träger", "'" + name], rows[1]);
                    Assert.Equal(["Auswertung für", "gesamte Organisation"], rows[2]);
                    Assert.Contains(rows, r => r is ["Beratene Personen im Zeitraum", "insgesamt", _]);
                }

                foreach (var rows in new[]
                         {
                             await Download(web.Client, $"/berichte/wirkung?{Period}&groupBy=team&format=csv"),
                             await Download(api, $"/api/v1/reports/outcomes?{Period}&format=csv"),
                             await Download(api, $"/api/v1/reports/outcomes?{Period}", accept: "text/csv"),
                         })
                {
                    Assert.Equal(["Wirkung – Ziele je Handlungsfeld"], rows[0]);
                    Assert.Equal(["Träger", "'" + name], rows[1]);
                    Assert.Contains(rows, r => r is ["Gesamt", "Spracherwerb", ..]);
                }
            }
        }
        finally
        {
            await app.WithDb(db => db.Organisations.Where(o => o.Id == organisation.Id).ExecuteUpdateAsync(o => o.SetProperty(x => x.Name, DemoData.Musterstadt)));
        }
    }
}
