using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Tests.Reporting;

/// <summary>The funding report end to end: JSON, CSV, XLSX, the page, and who may see which scope.</summary>
public sealed class FundingReportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Period = "from=2026-01-01&to=2026-12-31";

    private async Task<(Guid TeamCase, Guid OtherTeamCase)> Cases()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var im3 = await app.ClientFor("im3@musterstadt.example");
        var mine = await CaseApi.NewCase(im1, supportStart: "2026-02-01");
        await CaseApi.PostVersioned(im1, $"/api/v1/clients/{mine}/consultations", new { date = "2026-02-02", durationMinutes = 90, mode = "Office", interpreterLanguage = "ar" }, 2);
        var other = await CaseApi.NewCase(im3, supportStart: "2026-02-01");
        return (mine, other);
    }

    private static Dictionary<string, decimal> Section(JsonElement report, string key) =>
        report.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key)
            .GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("label").GetString()!, l => l.GetProperty("value").GetDecimal());

    [Fact]
    public async Task The_team_scope_counts_the_own_team_and_the_organisation_scope_everyone()
    {
        using var lead = await app.ClientFor("lead@musterstadt.example");
        var teamId = await app.WithDb(db => db.Teams.Where(t => t.Name == "Nord").Select(t => t.Id).SingleAsync());
        async Task<(JsonElement Team, JsonElement Organisation)> Reports() => (
            await lead.GetFromJsonAsync<JsonElement>($"/api/v1/reports/funding?{Period}&teamId={teamId}"),
            await lead.GetFromJsonAsync<JsonElement>($"/api/v1/reports/funding?{Period}"));

        // Other tests of this class add cases too (in any order): compare before and after this test's two cases.
        var (teamBefore, organisationBefore) = await Reports();
        await Cases();
        var (team, organisation) = await Reports();

        Assert.Equal("eigenes Team", team.GetProperty("scope").GetString());
        Assert.Equal(Section(teamBefore, "persons")["insgesamt"] + 1, Section(team, "persons")["insgesamt"]);
        Assert.Equal(Section(organisationBefore, "persons")["insgesamt"] + 2, Section(organisation, "persons")["insgesamt"]);
        Assert.Equal("Stadt Musterstadt", organisation.GetProperty("organisation").GetString());
        var consultations = Section(team, "consultations");
        Assert.True(consultations["Anzahl"] >= 1);
        Assert.Equal(consultations["Anzahl"], Section(organisation, "consultations")["Anzahl"]);
    }

    [Fact]
    public async Task A_person_outside_the_target_group_is_not_a_Beratene_Person()
    {
        using var lead = await app.ClientFor("lead@musterstadt.example");
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var before = Section(await lead.GetFromJsonAsync<JsonElement>($"/api/v1/reports/funding?{Period}"), "persons")["insgesamt"];

        await CaseApi.NewCase(im1, residence: "Toleration");
        await CaseApi.NewCase(im1, residence: "ObligedToLeave");

        var after = Section(await lead.GetFromJsonAsync<JsonElement>($"/api/v1/reports/funding?{Period}"), "persons")["insgesamt"];
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task CSV_and_XLSX_carry_the_same_figures_in_the_sheet_layout()
    {
        await Cases();
        using var lead = await app.ClientFor("lead@musterstadt.example");
        var json = await lead.GetFromJsonAsync<JsonElement>($"/api/v1/reports/funding?{Period}");
        var persons = Section(json, "persons")["insgesamt"];

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/funding?{Period}");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var csv = await lead.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("Auswertung Zeitraum – Integrationsmanagement", lines[0]);
        Assert.Contains("Zeitraum;01.01.2026 – 31.12.2026", lines);
        Assert.Contains($"Beratene Personen im Zeitraum;insgesamt;{persons}", lines);

        using var xlsx = await lead.GetAsync($"/api/v1/reports/funding?{Period}&format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var sheet = document.WorkbookPart!.Workbook.Descendants<Sheet>().Single();
        Assert.Equal("Auswertung Zeitraum", sheet.Name!.Value);
        var rows = ((WorksheetPart)document.WorkbookPart.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().ToList();
        var personsRow = rows.Single(r => r.Elements<Cell>().FirstOrDefault()?.InnerText == "Beratene Personen im Zeitraum");
        var value = personsRow.Elements<Cell>().ElementAt(2);
        Assert.Equal(CellValues.Number, value.DataType!.Value);
        Assert.Equal(persons, decimal.Parse(value.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_period_that_makes_no_sense_is_a_422_in_German()
    {
        using var lead = await app.ClientFor("lead@musterstadt.example");
        using var missing = await lead.GetAsync("/api/v1/reports/funding?to=2026-12-31");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        Assert.Equal("Bitte den Beginn des Zeitraums angeben.", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("from")[0].GetString());
        using var backwards = await lead.GetAsync("/api/v1/reports/funding?from=2026-12-31&to=2026-01-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, backwards.StatusCode);
    }

    [Fact]
    public async Task A_lead_gets_another_team_or_its_managers_only_inside_the_organisation_total()
    {
        using var lead = await app.ClientFor("lead@musterstadt.example");
        var (south, im3) = await app.WithDb(async db => (
            await db.Teams.Where(t => t.Name == "Süd").Select(t => t.Id).SingleAsync(),
            await db.Users.Where(u => u.Email == "im3@musterstadt.example").Select(u => u.Id).SingleAsync()));

        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync($"/api/v1/reports/funding?{Period}&teamId={south}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync($"/api/v1/reports/funding?{Period}&managerId={im3}")).StatusCode);
        foreach (var email in new[] { "im1@musterstadt.example", "dpo@musterstadt.example", "admin@musterstadt.example", "im1@beispiel.example" })
        {
            using var other = await app.ClientFor(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/reports/funding?{Period}")).StatusCode);
        }
    }

    [Fact]
    public async Task The_page_shows_the_report_for_one_manager_and_offers_both_downloads()
    {
        await Cases();
        using var lead = await app.SignedInAs("lead@musterstadt.example");
        var im1 = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.Id).SingleAsync());

        var page = await lead.GetPageAsync($"/berichte/foerderung?{Period}&scope={im1}");

        Assert.Equal("Stadt Musterstadt · Integrationsmanager:in Miriam Keller · 01.01.2026 – 31.12.2026", page.QuerySelector("[data-testid=report-scope]")!.TextContent);
        Assert.NotNull(page.QuerySelector("[data-testid=report-consultations]"));
        var csvLink = page.QuerySelectorAll("a[download]").Single(a => a.GetAttribute("href")!.EndsWith("format=csv", StringComparison.Ordinal)).GetAttribute("href")!;
        using var csv = await lead.GetAsync(csvLink);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("Auswertung-Zeitraum-2026-01-01-bis-2026-12-31.csv", csv.Content.Headers.ContentDisposition!.FileName!.Trim('"'));

        var invalid = await lead.GetPageAsync("/berichte/foerderung?from=2026-05-01&to=2026-01-01&scope=team");
        Assert.Contains("Das Ende muss nach dem Beginn liegen, höchstens drei Jahre später.", invalid.ErrorMessages());
    }
}
