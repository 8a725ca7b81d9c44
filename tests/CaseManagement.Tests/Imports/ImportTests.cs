using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.CaseImports;
using CaseManagement.Tests.Infrastructure;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.CaseImports;

/// <summary>Imports through the API with files as German offices send them; the job runs where the test says so.</summary>
public sealed class ImportTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Admin = "admin@musterstadt.example";

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imports", "Files", name));

    private static async Task<HttpResponseMessage> Upload(HttpClient client, byte[] content, string fileName, bool dryRun = false)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (dryRun)
        {
            form.Add(new StringContent("true"), "dryRun");
        }

        return await client.PostAsync("/api/v1/imports", form);
    }

    /// <summary>Uploads, runs the job as a worker would, and returns the import's answer.</summary>
    private async Task<JsonElement> Import(HttpClient client, byte[] content, string fileName, bool dryRun = false)
    {
        using var response = await Upload(client, content, fileName, dryRun);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await RunJob(id);
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
    }

    private async Task RunJob(Guid id, CancellationToken ct = default)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ImportJobs>().Run(id, ct);
    }

    private static (int Created, int Present, int Rejected) Counts(JsonElement import) =>
        (import.GetProperty("created").GetInt32(), import.GetProperty("alreadyPresent").GetInt32(), import.GetProperty("rejected").GetInt32());

    private static List<(int Row, string Column, string Message)> Errors(JsonElement import) =>
        import.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString()!, e.GetProperty("message").GetString()!)).ToList();

    [Fact]
    public async Task A_Windows_1252_file_from_German_Excel_opens_cases_through_the_intake_and_a_second_upload_creates_nothing_new()
    {
        using var admin = await app.ClientFor(Admin);
        var import = await Import(admin, Fixture("faelle-windows-1252.csv"), "Fallliste Nord.csv");

        Assert.Equal("Completed", import.GetProperty("status").GetString());
        Assert.Equal(5, import.GetProperty("rows").GetInt32());
        Assert.Equal((2, 0, 3), Counts(import));
        var errors = Errors(import);
        Assert.Contains((4, "Geburtsdatum", ImportRowReader.NoDate), errors);
        Assert.Contains(errors, e => e.Row == 5 && e.Column == "Geschlecht" && e.Message.StartsWith("Unbekannter Wert", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Row == 5 && e.Column == "Aufenthaltsstatus");
        Assert.Contains((5, "Zuständig (E-Mail)", ImportRowReader.UnknownManager), errors);
        Assert.Contains((6, "", "Das Aktenzeichen steht schon in Zeile 2 der Datei."), errors);

        // The case reads as the manager's own, with umlauts intact and the provenance in its history.
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var list = await manager.GetFromJsonAsync<JsonElement>("/api/v1/clients?search=Müller-Haddad");
        var found = Assert.Single(list.EnumerateArray());
        var id = found.GetProperty("id").GetGuid();
        var file = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        Assert.Equal("Jürgen", file.GetProperty("firstName").GetString());
        var history = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/history");
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("description").GetString()!.Contains("Import aus „Fallliste Nord.csv“, Zeile 2 (bisheriges Aktenzeichen W-1001)", StringComparison.Ordinal));

        var again = await Import(admin, Fixture("faelle-windows-1252.csv"), "Fallliste Nord.csv");
        Assert.Equal((0, 2, 3), Counts(again));
    }

    [Fact]
    public async Task A_UTF8_file_with_BOM_reports_future_birth_dates_and_empty_required_cells_and_the_error_file_round_trips()
    {
        using var admin = await app.ClientFor(Admin);
        var import = await Import(admin, Fixture("faelle-utf8-bom.csv"), "liste.csv");
        Assert.Equal((1, 0, 2), Counts(import));
        Assert.Contains((3, "Geburtsdatum", "Das Geburtsdatum muss zwischen 01.01.1900 und heute liegen."), Errors(import));
        Assert.Contains((4, "Nachname", "Bitte den Nachnamen angeben."), Errors(import));

        using var rejected = await admin.GetAsync($"/api/v1/imports/{import.GetProperty("id").GetGuid()}/rejected");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var text = Encoding.UTF8.GetString(await rejected.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(";Fehler", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains("Geburtsdatum: Das Geburtsdatum muss zwischen", lines[1], StringComparison.Ordinal);

        // Fixed and uploaded again: the rows that were wrong are created, nothing twice.
        var fixedFile = text.Replace("01.01.2031", "01.01.2011", StringComparison.Ordinal).Replace("U-2003;;", "U-2003;Kovalenko;", StringComparison.Ordinal);
        var again = await Import(admin, Encoding.UTF8.GetBytes(fixedFile), "liste-Fehler.csv");
        Assert.Equal((2, 0, 0), Counts(again));
    }

    [Fact]
    public async Task An_xlsx_with_date_cells_a_formula_and_a_goals_sheet_is_taken_over_with_its_goals()
    {
        using var admin = await app.ClientFor(Admin);
        var import = await Import(admin, Workbook(), "Fälle.xlsx");
        Assert.True(Counts(import) == (2, 0, 0), import.ToString());

        using var manager = await app.ClientFor("im1@musterstadt.example");
        var found = (await manager.GetFromJsonAsync<JsonElement>("/api/v1/clients?search=Rahimi")).EnumerateArray().ToList();
        Assert.Contains(found, c => c.GetProperty("lastName").GetString() == "Rahimi-Sultani");
        var farid = Assert.Single(found, c => c.GetProperty("lastName").GetString() == "Rahimi");
        var file = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{farid.GetProperty("id").GetGuid()}");
        Assert.Equal("1990-03-15", file.GetProperty("birthDate").GetString());
        var goals = file.GetProperty("goals").EnumerateArray().ToList();
        Assert.True(goals.Count == 2, import.ToString());
        Assert.Contains(goals, g => g.GetProperty("status").GetString() == "Achieved");
        Assert.Contains(goals, g => g.GetProperty("status").GetString() == "InProgress");
    }

    [Fact]
    public async Task A_dry_run_stores_no_case()
    {
        using var admin = await app.ClientFor(Admin);
        var csv = "Aktenzeichen;Nachname;Vorname;Geburtsdatum;Geschlecht;Aufenthaltsstatus;Wohnform;Wohnform seit;Förderbeginn;Zuständig (E-Mail)\r\n"
                  + "D-1;Probelauf;Nur;01.01.1990;weiblich;Flüchtlingsschutz;AU;01.01.2025;01.02.2026;im1@musterstadt.example\r\n";
        var import = await Import(admin, Encoding.UTF8.GetBytes(csv), "probe.csv", dryRun: true);
        Assert.True(import.GetProperty("dryRun").GetBoolean());
        Assert.Equal((1, 0, 0), Counts(import));
        using var manager = await app.ClientFor("im1@musterstadt.example");
        Assert.Empty((await manager.GetFromJsonAsync<JsonElement>("/api/v1/clients?search=Probelauf")).EnumerateArray());
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "leer.csv", "", ImportFile.Empty },
        { "nur-kopf.csv", "Aktenzeichen;Nachname\r\n", ImportFile.Empty },
        { "programm.csv", "MZ\u0090\0\u0003\0\0\0", ImportFile.NotCsvOrXlsx },
        { "mappe.xlsm", "PK\u0003\u0004", ImportFile.MacroWorkbook },
        { "kaputt.xlsx", "PK\u0003\u0004kaputt", ImportFile.NotCsvOrXlsx },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Whole_files_that_are_no_case_list_are_refused_with_422_and_nothing_is_stored(string name, string content, string message)
    {
        using var admin = await app.ClientFor(Admin);
        using var response = await Upload(admin, Encoding.Latin1.GetBytes(content), name);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_large_too_long_and_zip_bombs_are_refused()
    {
        using var admin = await app.ClientFor(Admin);
        using (var large = await Upload(admin, new byte[ImportFile.MaxBytes + 10], "gross.csv"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        }

        var rows = new StringBuilder("Aktenzeichen;Nachname\r\n");
        for (var i = 0; i <= ImportFile.MaxRows; i++)
        {
            rows.Append('A').Append(i).Append(";B\r\n");
        }

        using (var tooMany = await Upload(admin, Encoding.UTF8.GetBytes(rows.ToString()), "lang.csv"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
            Assert.Contains(ImportFile.TooManyRows, await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var bomb = await Upload(admin, ZipBomb(), "bombe.xlsx"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bomb.StatusCode);
            Assert.Contains(ImportFile.Bomb, await bomb.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Managers_get_403_and_another_organisation_gets_404()
    {
        using var manager = await app.ClientFor("im1@musterstadt.example");
        using (var refused = await Upload(manager, Fixture("faelle-utf8-bom.csv"), "x.csv"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var admin = await app.ClientFor(Admin);
        using var created = await Upload(admin, Fixture("faelle-utf8-bom.csv"), "y.csv", dryRun: true);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var other = await app.ClientFor("admin@beispiel.example");
        using (var hidden = await other.GetAsync($"/api/v1/imports/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        using (var cancel = await other.DeleteAsync($"/api/v1/imports/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        }

        using var template = await manager.GetAsync("/api/v1/imports/template.csv");
        Assert.Equal(HttpStatusCode.Forbidden, template.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_import_leaves_whole_rows_and_resumes_where_it_stopped()
    {
        using var admin = await app.ClientFor(Admin);
        var csv = new StringBuilder("Aktenzeichen;Nachname;Vorname;Geburtsdatum;Geschlecht;Aufenthaltsstatus;Wohnform;Wohnform seit;Förderbeginn;Zuständig (E-Mail)\r\n");
        // Batches of 25, 50, 100, 200, 200 rows, a cancel checked after each: the cancel sent once the first is done has
        // four batches' time to arrive (with 120 rows only the second one's, which a fast machine finished first).
        const int total = 600;
        for (var i = 0; i < total; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"C-{i};Abbruch{i:000};Test;01.01.1990;weiblich;Flüchtlingsschutz;AU;01.01.2025;01.02.2026;im1@musterstadt.example\r\n");
        }

        using var response = await Upload(admin, Encoding.UTF8.GetBytes(csv.ToString()), "abbruch.csv");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var job = RunJob(id);
        JsonElement status;
        do
        {
            await Task.Delay(50);
            status = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        }
        while (status.GetProperty("done").GetInt32() == 0 && !job.IsCompleted);

        using (await admin.DeleteAsync($"/api/v1/imports/{id}"))
        {
        }

        await job;
        var cancelled = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        var createdBefore = cancelled.GetProperty("created").GetInt32();
        Assert.InRange(createdBefore, 1, total - 1);

        using (var resume = await admin.PostAsync($"/api/v1/imports/{id}/resume", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        }

        await RunJob(id);
        var done = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal((total, 0, 0), Counts(done));
        using var manager = await app.ClientFor("im1@musterstadt.example");
        using var list = await manager.GetAsync("/api/v1/clients?search=Abbruch");
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Headers.GetValues("X-Total-Count").Single());
    }

    [Fact]
    public async Task A_batch_whose_commit_fails_on_one_row_imports_the_other_rows_one_by_one()
    {
        using var admin = await app.ClientFor(Admin);
        var csv = new StringBuilder("Aktenzeichen;Nachname;Vorname;Geburtsdatum;Geschlecht;Aufenthaltsstatus;Wohnform;Wohnform seit;Förderbeginn;Zuständig (E-Mail)\r\n");
        const int total = 6;
        for (var i = 0; i < total; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"B-{i};Stapel{i};Test;01.02.1991;weiblich;Flüchtlingsschutz;AU;01.01.2025;01.02.2026;im1@musterstadt.example\r\n");
        }

        // A concurrent intake of the person of row 4 committed after the batch's duplicate check read the cases (its key is
        // taken, its case not yet visible): the batch's one transaction fails on that row.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CaseManagement.Storage.AppDbContext>();
            var organisationId = db.Users.Single(u => u.Email == Admin).OrganisationId;
            var person = new CaseManagement.Cases.PersonalData("Test", "Stapel2", new NodaTime.LocalDate(1991, 2, 1), CaseManagement.Cases.Gender.Female, null, [], null, null);
            await using var command = scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
                "insert into cases.intake_keys (case_id, organisation_id, person_key, confirmed_duplicate) values ($1, $2, $3, false)");
            command.Parameters.Add(new() { Value = Guid.NewGuid() });
            command.Parameters.Add(new() { Value = organisationId });
            command.Parameters.Add(new() { Value = CaseManagement.Cases.IntakeKey.For(organisationId, person) });
            await command.ExecuteNonQueryAsync();
        }

        var import = await Import(admin, Encoding.UTF8.GetBytes(csv.ToString()), "stapel.csv");

        Assert.Equal("Completed", import.GetProperty("status").GetString());
        Assert.Equal((total - 1, 0, 1), Counts(import));
        var error = Assert.Single(Errors(import));
        Assert.Equal(4, error.Row);
        Assert.StartsWith("Möglicherweise gibt es diese Person schon", error.Message, StringComparison.Ordinal);
        using var manager = await app.ClientFor("im1@musterstadt.example");
        using var list = await manager.GetAsync("/api/v1/clients?search=Stapel");
        Assert.Equal((total - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), list.Headers.GetValues("X-Total-Count").Single());
    }

    [Fact]
    public async Task Two_rows_of_the_same_person_in_one_batch_create_one_case_and_a_duplicate_warning()
    {
        using var admin = await app.ClientFor(Admin);
        var csv = "Aktenzeichen;Nachname;Vorname;Geburtsdatum;Geschlecht;Aufenthaltsstatus;Wohnform;Wohnform seit;Förderbeginn;Zuständig (E-Mail)\r\n"
            + "Z-1;Zwilling;Ada;03.03.1993;weiblich;Flüchtlingsschutz;AU;01.01.2025;01.02.2026;im1@musterstadt.example\r\n"
            + "Z-2;ZWILLING;ada;03.03.1993;weiblich;Flüchtlingsschutz;AU;01.01.2025;01.02.2026;im1@musterstadt.example\r\n";

        var import = await Import(admin, Encoding.UTF8.GetBytes(csv), "zwilling.csv");

        Assert.Equal((1, 0, 1), Counts(import));
        var error = Assert.Single(Errors(import));
        Assert.Equal(3, error.Row);
        Assert.Contains("Möglicherweise gibt es diese Person schon", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(ImportJobs.DuplicateHint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_whose_worker_died_is_queued_again_by_the_sweep_and_resumes_after_the_last_whole_row()
    {
        using var admin = await app.ClientFor(Admin);
        var csv = new StringBuilder("Aktenzeichen;Nachname;Vorname;Geburtsdatum;Geschlecht;Aufenthaltsstatus;Wohnform;Wohnform seit;Förderbeginn;Zuständig (E-Mail)\r\n");
        const int total = 200;
        for (var i = 0; i < total; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"S-{i};Verwaist{i:000};Test;01.01.1990;weiblich;Flüchtlingsschutz;AU;01.01.2025;01.02.2026;im1@musterstadt.example\r\n");
        }

        using var response = await Upload(admin, Encoding.UTF8.GetBytes(csv.ToString()), "verwaist.csv");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The worker dies after its first batch: the job stops, the import stays "Running" with its last heartbeat.
        using var stop = new CancellationTokenSource();
        var job = RunJob(id, stop.Token);
        JsonElement status;
        do
        {
            await Task.Delay(20);
            status = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        }
        while (status.GetProperty("done").GetInt32() == 0 && !job.IsCompleted);

        await stop.CancelAsync();
        await Record.ExceptionAsync(() => job);
        await Sql("update cases.imports set status = 'Running', heartbeat_at = now() where id = $1", id);
        var stuck = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        Assert.Equal("Running", stuck.GetProperty("status").GetString());
        Assert.InRange(stuck.GetProperty("done").GetInt32(), 1, total - 1);

        // A fresh heartbeat: another worker may still have it, the sweep leaves it alone.
        Assert.DoesNotContain(id, await Sweep());

        // No heartbeat for more than five minutes: queued again, and the run resumes after the last whole row.
        await Sql("update cases.imports set heartbeat_at = now() - interval '6 minutes' where id = $1", id);
        Assert.Contains(id, await Sweep());
        Assert.Equal("Queued", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}")).GetProperty("status").GetString());
        Assert.DoesNotContain(id, await Sweep());

        await RunJob(id);
        var done = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal((total, 0, 0), Counts(done));
        using var manager = await app.ClientFor("im1@musterstadt.example");
        using var list = await manager.GetAsync("/api/v1/clients?search=Verwaist");
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Headers.GetValues("X-Total-Count").Single());
    }

    private async Task<IReadOnlyList<Guid>> Sweep()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ImportJobs>().Sweep(CancellationToken.None);
    }

    private async Task Sql(string sql, Guid id)
    {
        await using var command = app.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(sql);
        command.Parameters.Add(new() { Value = id });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Two sheets: "Fälle" with real date cells and a formula (cached value only), "Ziele" with two goals.</summary>
    public static byte[] Workbook()
    {
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font()), new Fills(new Fill()), new Borders(new Border()),
                new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }));
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            AddSheet(workbook, sheets, 1, "Fälle",
            [
                [T("Aktenzeichen"), T("Nachname"), T("Vorname"), T("Geburtsdatum"), T("Geschlecht"), T("Staatsangehörigkeit"), T("Sprachen"), T("Aufenthaltsstatus"),
                    T("Aufenthalt gültig bis"), T("Wohnform"), T("Wohnform seit"), T("Förderbeginn"), T("Zuständig (E-Mail)")],
                [T("X-1"), T("Rahimi"), T("Farid"), D(new DateTime(1990, 3, 15)), T("männlich"), T("Afghanistan"), T("Dari"), T("Flüchtlingsschutz"),
                    T(""), T("AU"), D(new DateTime(2025, 5, 1)), T("01.06.2025"), T("im1@musterstadt.example")],
                [T("X-2"), F("\"Rahimi\"&\"-Sultani\"", "Rahimi-Sultani"), T("Mina"), T("1992-08-01"), T("weiblich"), T("AF"), T("fa"), T("RefugeeProtection"),
                    T(""), T("AU"), T("01.05.2025"), T("01.06.2025"), T("im1@musterstadt.example")],
            ]);
            AddSheet(workbook, sheets, 2, "Ziele",
            [
                [T("Aktenzeichen"), T("Handlungsfeld"), T("Ziel"), T("Vereinbart am"), T("Zieldatum"), T("Status")],
                [T("X-1"), T("Spracherwerb"), T("B1-Prüfung bestehen"), D(new DateTime(2025, 6, 10)), D(new DateTime(2026, 6, 30)), T("erreicht")],
                [T("X-1"), T("LabourMarket"), T("Praktikum finden"), T("10.06.2025"), T("31.12.2026"), T("in Arbeit")],
            ]);
            workbook.Workbook.Save();
        }

        return output.ToArray();
    }

    private static void AddSheet(WorkbookPart workbook, Sheets sheets, uint id, string name, Cell[][] rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (var r = 0; r < rows.Length; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < rows[r].Length; c++)
            {
                rows[r][c].CellReference = $"{(char)('A' + c)}{r + 1}";
                row.Append(rows[r][c]);
            }

            data.Append(row);
        }

        part.Worksheet = new Worksheet(data);
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Cell T(string text) => new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };

    private static Cell D(DateTime date) => new() { StyleIndex = 1, CellValue = new CellValue(date.ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture)) };

    private static Cell F(string formula, string cached) => new() { DataType = CellValues.String, CellFormula = new CellFormula(formula), CellValue = new CellValue(cached) };

    /// <summary>A small ZIP whose one part unpacks to 500 MB of zeros.</summary>
    private static byte[] ZipBomb()
    {
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var part = zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 500; i++)
            {
                part.Write(zeros);
            }
        }

        return output.ToArray();
    }
}
