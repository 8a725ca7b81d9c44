using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NodaTime;

namespace CaseManagement.Tests.Reporting;

/// <summary>
/// Wirkung end to end: cases and goals made through the commands on the test clock, then the exact figures, the
/// suppression, erased cases, who sees what, and the files. Each test works in a year of its own, so the tests of this
/// class (one database) do not change each other's figures.
/// </summary>
public sealed class OutcomesReportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Lead = "lead@musterstadt.example";
    private const string Admin = "admin@musterstadt.example";

    /// <summary>A person of the cohort: a case opened on <paramref name="start"/> (clock set to that day) with one goal agreed that day.</summary>
    private sealed record Person(Guid Id, string CaseNumber, Guid GoalId)
    {
        public long Version { get; set; } = 3;
    }

    private void Today(int year, int month, int day) => app.Factory.Clock.SetDay(new LocalDate(year, month, day));

    private async Task<Person> PersonWithGoal(HttpClient manager, LocalDate start, string field, LocalDate target, string gender = "female")
    {
        app.Factory.Clock.SetDay(start);
        using var created = await manager.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Wirkung",
            lastName = "Fall-" + Guid.NewGuid().ToString("N")[..8],
            birthDate = "1990-09-09",
            gender,
            nationality = "SY",
            supportStart = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            housing = new { type = "FollowUpAccommodation", since = start.PlusDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            residenceStatus = new { kind = "RefugeeProtection" },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        var (status, goal) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/goals", new
        {
            field,
            text = "Ziel",
            agreedOn = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            targetDate = target.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, 2);
        Assert.Equal(HttpStatusCode.Created, status);
        return new Person(id, body.GetProperty("caseNumber").GetString()!, goal.GetProperty("goalId").GetGuid());
    }

    private static async Task Move(HttpClient manager, Person person, string status)
    {
        var (code, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{person.Id}/goals/{person.GoalId}/status",
            new { status, reason = status == "Dropped" ? "Anderer Weg gefunden" : null }, person.Version);
        Assert.True(code == HttpStatusCode.OK, body.ToString());
        person.Version++;
    }

    private static async Task<List<JsonElement>> Rows(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/v1/reports/outcomes?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows").EnumerateArray()];
    }

    private static JsonElement Row(IEnumerable<JsonElement> rows, string field, string group = "Gesamt") =>
        rows.Single(r => r.GetProperty("field").GetString() == field && r.GetProperty("group").GetString() == group);

    private static int? Figure(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetInt32();

    /// <summary>
    /// 2025: twelve persons with a language goal (agreed 03.02.2025, target 30.06.2025): six achieved on 02.05.2025, one on
    /// 01.08.2025 (late), five still in progress; seven persons with a housing goal: two dropped, five in progress.
    /// </summary>
    private async Task<List<Person>> Cohort2025()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        var agreed = new LocalDate(2025, 2, 3);
        var language = new List<Person>();
        for (var i = 0; i < 12; i++)
        {
            language.Add(await PersonWithGoal(im1, agreed, "Language", new LocalDate(2025, 6, 30)));
        }

        var housing = new List<Person>();
        for (var i = 0; i < 7; i++)
        {
            housing.Add(await PersonWithGoal(im1, agreed, "Housing", new LocalDate(2025, 12, 31), gender: "male"));
        }

        Today(2025, 3, 3);
        foreach (var p in language.Concat(housing.Skip(2)))
        {
            await Move(im1, p, "InProgress");
        }

        foreach (var p in housing.Take(2))
        {
            await Move(im1, p, "Dropped");
        }

        Today(2025, 5, 2);
        foreach (var p in language.Take(6))
        {
            await Move(im1, p, "Achieved");
        }

        Today(2025, 8, 1);
        await Move(im1, language[6], "Achieved");
        return [.. language, .. housing];
    }

    [Fact]
    public async Task A_hand_built_cohort_gives_exact_figures_and_small_numbers_are_hidden_with_their_neighbour()
    {
        try
        {
            await Cohort2025();
            app.Factory.Clock.Reset();
            using var lead = await app.ClientFor(Lead);

            var rows = await Rows(lead, "from=2025-01-01&to=2025-12-31&groupBy=field");
            var language = Row(rows, "Language");
            Assert.Equal(12, Figure(language, "agreed"));
            Assert.Equal(5, Figure(language, "inProgress"));
            Assert.Equal(7, Figure(language, "achieved"));
            Assert.Equal(0, Figure(language, "partlyAchieved"));
            Assert.Equal(0, Figure(language, "notAchieved"));
            Assert.Equal(0, Figure(language, "dropped"));
            Assert.Equal(0.5m, language.GetProperty("achievedByTargetShare").GetDecimal());     // 6 of 12 by 30.06.2025
            Assert.Equal(88m, language.GetProperty("medianDaysToAchieve").GetDecimal());       // 6 × 88 days, 1 × 179 days
            Assert.False(language.GetProperty("suppressed").GetBoolean());

            // Housing: two persons dropped (< 5) → hidden, and the in-progress five with it, else 7 − 5 = 2 would tell.
            var housing = Row(rows, "Housing");
            Assert.Equal(7, Figure(housing, "agreed"));
            Assert.Null(Figure(housing, "dropped"));
            Assert.Null(Figure(housing, "inProgress"));
            Assert.Equal(0, Figure(housing, "achieved"));
            Assert.True(housing.GetProperty("suppressed").GetBoolean());

            // The period ends before the late achievement: as of 31.07.2025 it is still in progress.
            var july = Row(await Rows(lead, "from=2025-01-01&to=2025-07-31"), "Language");
            Assert.Equal(6, Figure(july, "inProgress"));
            Assert.Equal(6, Figure(july, "achieved"));

            // By cohort: every person started in the first quarter of 2025, so the group row equals the total.
            var cohort = Row(await Rows(lead, "from=2025-01-01&to=2025-12-31&groupBy=cohort"), "Language", "1. Quartal 2025");
            Assert.Equal(12, Figure(cohort, "agreed"));
            Assert.Equal(7, Figure(cohort, "achieved"));

            // By gender: the housing goals are the men's; the language goals the women's.
            var byGender = await Rows(lead, "from=2025-01-01&to=2025-12-31&groupBy=gender");
            Assert.Equal(7, Figure(Row(byGender, "Housing", "männlich"), "agreed"));
            Assert.Equal(12, Figure(Row(byGender, "Language", "weiblich"), "agreed"));

            // The other organisation sees none of it.
            using var other = await app.ClientFor("admin@beispiel.example");
            Assert.All(await Rows(other, "from=2025-01-01&to=2025-12-31"), r => Assert.Equal(0, Figure(r, "agreed")));
        }
        finally
        {
            app.Factory.Clock.Reset();
        }
    }

    [Fact]
    public async Task Erased_cases_still_count_through_their_pseudonymous_record()
    {
        try
        {
            using var im1 = await app.ClientFor("im1@musterstadt.example");
            var agreed = new LocalDate(2023, 4, 3);
            var persons = new List<Person>();
            for (var i = 0; i < 5; i++)
            {
                persons.Add(await PersonWithGoal(im1, agreed, "LabourMarket", new LocalDate(2023, 12, 31)));
            }

            Today(2023, 5, 2);
            foreach (var p in persons)
            {
                await Move(im1, p, "InProgress");
                await Move(im1, p, "Achieved");
            }

            app.Factory.Clock.Reset();
            using var lead = await app.ClientFor(Lead);
            const string Query = "from=2023-01-01&to=2023-12-31";
            var before = Row(await Rows(lead, Query), "LabourMarket");
            Assert.Equal(5, Figure(before, "achieved"));

            using var dpo = await app.ClientFor("dpo@musterstadt.example");
            using var requested = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{persons[0].Id}/erasure",
                new { reason = "Antrag der betroffenen Person", legalBasis = "Art. 17 Abs. 1 lit. b DSGVO" });
            Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
            var erasure = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();
            using var confirmed = await dpo.PostAsJsonAsync($"/api/v1/data-protection/erasures/{erasure}/confirm", new { caseNumber = persons[0].CaseNumber });
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await im1.GetAsync($"/api/v1/clients/{persons[0].Id}")).StatusCode);

            var after = Row(await Rows(lead, Query), "LabourMarket");
            Assert.Equal(before.ToString(), after.ToString());
            Assert.Equal(5, Figure(after, "agreed"));
            Assert.Equal(5, Figure(after, "achieved"));
            Assert.Equal(1m, after.GetProperty("achievedByTargetShare").GetDecimal());
        }
        finally
        {
            app.Factory.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_lead_sees_the_own_team_an_administrator_the_organisation_and_managers_get_403()
    {
        try
        {
            using var im1 = await app.ClientFor("im1@musterstadt.example");
            using var im3 = await app.ClientFor("im3@musterstadt.example");
            var agreed = new LocalDate(2022, 6, 1);
            for (var i = 0; i < 5; i++)
            {
                await PersonWithGoal(im1, agreed, "SchoolAndEducation", new LocalDate(2022, 12, 31));   // team Nord
                await PersonWithGoal(im3, agreed, "SchoolAndEducation", new LocalDate(2022, 12, 31));   // team Süd
            }

            app.Factory.Clock.Reset();
            const string Query = "from=2022-01-01&to=2022-12-31&groupBy=team";
            using var lead = await app.ClientFor(Lead);
            var leadRows = (await Rows(lead, Query)).Where(r => r.GetProperty("field").GetString() == "SchoolAndEducation").ToList();
            Assert.Equal(["Gesamt", "Nord"], leadRows.Select(r => r.GetProperty("group").GetString()));
            Assert.Equal(5, Figure(Row(leadRows, "SchoolAndEducation"), "agreed"));

            using var admin = await app.ClientFor(Admin);
            var adminRows = (await Rows(admin, Query)).Where(r => r.GetProperty("field").GetString() == "SchoolAndEducation").ToList();
            Assert.Equal(["Gesamt", "Nord", "Süd"], adminRows.Select(r => r.GetProperty("group").GetString()));
            Assert.Equal(10, Figure(Row(adminRows, "SchoolAndEducation"), "agreed"));
            Assert.Equal(5, Figure(Row(adminRows, "SchoolAndEducation", "Süd"), "inProgress"));

            foreach (var email in new[] { "im1@musterstadt.example", "dpo@musterstadt.example", "im1@beispiel.example" })
            {
                using var other = await app.ClientFor(email);
                Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/reports/outcomes?" + Query)).StatusCode);
            }

            using var otherAdmin = await app.ClientFor("admin@beispiel.example");
            Assert.DoesNotContain(await Rows(otherAdmin, Query), r => r.GetProperty("group").GetString() is "Nord" or "Süd");

            using var manager = await app.SignedInAs("im1@musterstadt.example");
            using var page = await manager.GetAsync("/berichte/wirkung");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("http://localhost/konto/kein-zugriff", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            app.Factory.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_period_or_grouping_that_makes_no_sense_is_a_422_in_German()
    {
        using var lead = await app.ClientFor(Lead);
        foreach (var (query, field) in new[]
        {
            ("to=2026-12-31", "from"), ("from=2026-12-31&to=2026-01-01", "to"), ("from=2020-01-01&to=2026-01-02", "to"),
            ("from=0001-01-01&to=9999-12-31", "from"), ("from=2026-01-01&to=2026-12-31&groupBy=name", "groupBy"),
        })
        {
            using var response = await lead.GetAsync("/api/v1/reports/outcomes?" + query);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), query + ": " + errors);
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }

        using var page = await app.SignedInAs(Lead);
        var invalid = await page.GetPageAsync("/berichte/wirkung?from=2026-05-01&to=2026-01-01&groupBy=field");
        Assert.Contains("Das Ende muss nach dem Beginn liegen, höchstens 5 Jahre später.", invalid.ErrorMessages());
    }

    [Fact]
    public async Task CSV_XLSX_and_the_page_carry_the_same_figures_and_hidden_cells_as_less_than_five()
    {
        try
        {
            using var im2 = await app.ClientFor("im2@musterstadt.example");
            var agreed = new LocalDate(2021, 3, 1);
            var persons = new List<Person>();
            for (var i = 0; i < 6; i++)
            {
                persons.Add(await PersonWithGoal(im2, agreed, "Health", new LocalDate(2021, 12, 31)));
            }

            Today(2021, 4, 1);
            foreach (var p in persons)
            {
                await Move(im2, p, "InProgress");
            }

            await Move(im2, persons[0], "NotAchieved");
            app.Factory.Clock.Reset();

            using var lead = await app.ClientFor(Lead);
            const string Query = "from=2021-01-01&to=2021-12-31&groupBy=field";
            using var csvRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/outcomes?" + Query);
            csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            using var csv = await lead.SendAsync(csvRequest);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
            var bytes = await csv.Content.ReadAsByteArrayAsync();
            Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
            var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
            Assert.Equal("Wirkung – Ziele je Handlungsfeld", lines[0]);
            Assert.Contains("Gruppe;Handlungsfeld;vereinbart;in Bearbeitung;erreicht;teilweise erreicht;nicht erreicht;aufgegeben;Anteil bis zum Zieldatum erreicht (%);Median Tage bis zur Erreichung", lines);
            // 6 agreed: 5 in progress, 1 not achieved (< 5) → hidden together with the in-progress five.
            Assert.Contains("Gesamt;Gesundheit;6;< 5;0;0;< 5;0;0;", lines);

            using var xlsx = await lead.GetAsync("/api/v1/reports/outcomes?" + Query + "&format=xlsx");
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
            using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
            using var document = SpreadsheetDocument.Open(stream, false);
            var sheet = document.WorkbookPart!.Workbook.Descendants<Sheet>().Single();
            Assert.Equal("Wirkung", sheet.Name!.Value);
            var row = ((WorksheetPart)document.WorkbookPart.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>()
                .Single(r => r.Elements<Cell>().ElementAtOrDefault(1)?.InnerText == "Gesundheit");
            var cells = row.Elements<Cell>().ToList();
            Assert.Equal(CellValues.Number, cells[2].DataType!.Value);
            Assert.Equal("6", cells[2].CellValue!.Text);
            Assert.Equal("< 5", cells[3].InnerText);
            Assert.Equal("< 5", cells[6].InnerText);

            using var page = await app.SignedInAs(Lead);
            var html = await page.GetPageAsync("/berichte/wirkung?" + Query);
            var table = html.QuerySelector("[data-testid=outcomes-table-health]")!;
            var cellsOnPage = table.QuerySelectorAll("tbody tr td").Select(td => td.TextContent.Trim()).ToList();
            Assert.Equal(["6", "< 5", "0", "0", "< 5", "0", "0 %", "–"], cellsOnPage);
            var download = html.QuerySelectorAll("a[download]").Single(a => a.GetAttribute("href")!.EndsWith("format=xlsx", StringComparison.Ordinal)).GetAttribute("href")!;
            using var file = await page.GetAsync(download);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("Wirkung-field-2021-01-01-bis-2021-12-31.xlsx", file.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        }
        finally
        {
            app.Factory.Clock.Reset();
        }
    }
}
