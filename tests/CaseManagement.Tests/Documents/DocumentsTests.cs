using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Documents;
using CaseManagement.Tests.DataProtection;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Documents.DocumentFixtures;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Documents;

/// <summary>Documents of a case (issue 19): upload checked by content, stored in PostgreSQL, listed, downloaded, deleted with a reason.</summary>
public sealed class DocumentsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im1@musterstadt.example";

    [Fact]
    public async Task A_pdf_is_uploaded_listed_and_downloaded_byte_for_byte_and_the_download_is_in_the_access_log()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var file = Pdf(RichCases.NewMarker());

        var (status, body, response) = await Upload(client, id, file, "Bescheid Jobcenter", "Letter", "2026-11-20");
        using (response)
        {
            Assert.Equal(HttpStatusCode.Created, status);
            var documentId = body.GetProperty("id").GetGuid();
            Assert.EndsWith($"/api/v1/clients/{id}/documents/{documentId}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        var listed = Assert.Single((await List(client, id)).EnumerateArray());
        Assert.Equal(("Bescheid Jobcenter", "Letter", "2026-11-20", "application/pdf", (long)file.Length),
            (listed.GetProperty("title").GetString(), listed.GetProperty("kind").GetString(), listed.GetProperty("date").GetString(),
                listed.GetProperty("contentType").GetString(), listed.GetProperty("size").GetInt64()));
        Assert.False(string.IsNullOrEmpty(listed.GetProperty("uploadedAt").GetString()));

        var before = await app.WithDb(db => db.CaseAccessLog.CountAsync(e => e.CaseId == id && e.What == "Dokument"));
        using var download = await client.GetAsync($"/api/v1/clients/{id}/documents/{listed.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(file, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Bescheid Jobcenter.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal(before + 1, await app.WithDb(db => db.CaseAccessLog.CountAsync(e => e.CaseId == id && e.What == "Dokument")));
    }

    [Fact]
    public async Task Every_accepted_type_is_recognised_by_its_content_whatever_its_name()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var m = RichCases.NewMarker();
        var files = new (byte[] File, string Expected)[]
        {
            (Png(m), "image/png"), (Jpeg(m), "image/jpeg"), (Docx(m), DocumentFiles.Docx.ContentType), (Odt(m), DocumentFiles.Odt.ContentType), (Pdf(m), "application/pdf"),
        };
        foreach (var (file, _) in files)
        {
            await Attach(client, id, file, "Datei", "Other");
        }

        Assert.Equal(files.Select(f => f.Expected), (await List(client, id)).EnumerateArray().Select(d => d.GetProperty("contentType").GetString()));
        Assert.Equal(files.Length, await StoredChunks(app, id));
    }

    [Fact]
    public async Task Every_refused_upload_says_why_in_German_and_stores_nothing()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var pdf = Pdf("x");

        // Not a PDF although named so, and a ZIP that is neither DOCX nor ODT: 415.
        foreach (var wrong in new[] { "Hallo, ich bin nur Text."u8.ToArray(), OtherZip("x"), [0x50, 0x4B, 0x03, 0x04, 0x00] })
        {
            var (status, body, response) = await Upload(client, id, wrong, "Ausweis", "ResidenceDocument", fileName: "ausweis.pdf");
            response.Dispose();
            Assert.True(status == HttpStatusCode.UnsupportedMediaType, $"{wrong.Length} bytes: {status} {body} {app.Factory.Logs.ErrorsText}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(DocumentFiles.Message(DocumentFileProblem.UnsupportedType), body.GetProperty("title").GetString());
            Assert.EndsWith("unsupported-media-type", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        // Without If-Match: 428, as every change of a case through the API.
        var (noVersion, _, noVersionResponse) = await Upload(client, id, pdf, "Ohne Version", "Other", ifMatch: false);
        noVersionResponse.Dispose();
        Assert.Equal(HttpStatusCode.PreconditionRequired, noVersion);

        // 20 MB and one byte: 413 with a German problem.
        var tooLarge = new byte[DocumentFiles.MaxBytes + 1];
        pdf.CopyTo(tooLarge, 0);
        var (largeStatus, largeBody, largeResponse) = await Upload(client, id, tooLarge, "Zu groß", "Other");
        largeResponse.Dispose();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, largeStatus);
        Assert.Equal("Die Datei ist zu groß: Dokumente dürfen höchstens 20 MB groß sein.", largeBody.GetProperty("title").GetString());
        Assert.EndsWith("too-large", largeBody.GetProperty("type").GetString(), StringComparison.Ordinal);

        // Field by field: 422 with the message under the field's name.
        // A choice or date that cannot be read at all is the API's 400 naming the field (docs/input-limits.md).
        var cases = new (byte[]? File, string? Title, string? Kind, string? Date, string Field)[]
        {
            ([], "Leer", "Other", null, "file"),
            (null, "Ohne Datei", "Other", null, "file"),
            (pdf, null, "Other", null, "title"),
            (pdf, "   ", "Other", null, "title"),
            (pdf, new string('T', AttachDocumentHandler.MaxTitleLength + 1), "Other", null, "title"),
            (pdf, "Mit\0NUL", "Other", null, "title"),
            (pdf, "Art unbekannt", "Passport", null, "kind"),
            (pdf, "Ohne Art", null, null, "kind"),
            (pdf, "Zukunft", "Letter", "2099-01-01", "date"),
            (pdf, "Jahr 9999", "Letter", "9999-12-31", "date"),
            (pdf, "Plan ohne Ziel", "SignedPlan", null, ""),
        };
        foreach (var (file, title, kind, date, field) in cases)
        {
            var (status, body, response) = await Upload(client, id, file, title, kind, date);
            response.Dispose();
            var unreadable = kind == "Passport" || date == "9999-12-31";
            Assert.True(status == HttpStatusCode.UnprocessableEntity || (unreadable && status == HttpStatusCode.BadRequest), $"{title}: {status} {body}");
            if (field.Length > 0)
            {
                Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), $"{title}: {body}");
                Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
            }
            else
            {
                Assert.Equal("Unterschrieben wird der Plan mit mindestens einem vereinbarten Ziel.", body.GetProperty("errors").EnumerateObject().First().Value[0].GetString());
            }
        }

        Assert.Equal(0, (await List(client, id)).GetArrayLength());
        Assert.Equal(0, await StoredChunks(app, id));
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Another_team_and_another_organisation_get_404_and_other_roles_no_content()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var documentId = await Attach(client, id, Pdf(RichCases.NewMarker()), "Zeugnis", "Certificate");

        foreach (var stranger in new[] { "im3@musterstadt.example", "lead-sued@musterstadt.example", "im1@beispiel.example" })
        {
            using var other = await app.ClientFor(stranger);
            using var download = await other.GetAsync($"/api/v1/clients/{id}/documents/{documentId}");
            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
            using var list = await other.GetAsync($"/api/v1/clients/{id}/documents");
            Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
            var (status, _, response) = await Upload(other, id, Pdf("x"), "Fremd", "Other");
            response.Dispose();
            Assert.Equal(HttpStatusCode.NotFound, status);
            using var deleted = await Delete(other, id, documentId, "fremd");
            Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
        }

        foreach (var role in new[] { "dpo@musterstadt.example", "admin@musterstadt.example" })
        {
            using var other = await app.ClientFor(role);
            using var download = await other.GetAsync($"/api/v1/clients/{id}/documents/{documentId}");
            Assert.Contains(download.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        }

        // The lead of the manager's team may read it; an unknown document of a readable case is 404.
        using var lead = await app.ClientFor("lead@musterstadt.example");
        using (var read = await lead.GetAsync($"/api/v1/clients/{id}/documents/{documentId}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var unknown = await client.GetAsync($"/api/v1/clients/{id}/documents/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(1, await StoredChunks(app, id));
    }

    [Fact]
    public async Task A_signed_plan_records_the_plans_signature_date()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var (goal, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Language", text = "B1 erreichen", agreedOn = "2026-03-01", targetDate = "2026-12-31", nextReview = "2026-06-01" }, 2);
        Assert.Equal(HttpStatusCode.Created, goal);

        await Attach(client, id, Pdf(RichCases.NewMarker()), "Integrationsplan unterschrieben", "SignedPlan", "2026-11-30");

        var c = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        Assert.Equal("2026-11-30", c.GetProperty("planSignedOn").GetString());
        Assert.Equal("SignedPlan", Assert.Single((await List(client, id)).EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Deleting_needs_a_reason_removes_the_bytes_and_leaves_an_event_with_who_when_and_title_but_no_content()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var marker = RichCases.NewMarker();
        var documentId = await Attach(client, id, Pdf(marker), "Mietvertrag", "Other");
        var url = $"/api/v1/clients/{id}/documents/{documentId}";

        using (var refused = await Delete(client, id, documentId, " "))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        }

        Assert.Equal(1, await StoredChunks(app, id));
        using (var deleted = await Delete(client, id, documentId, "Versehentlich im falschen Fall"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal(0, await StoredChunks(app, id));
        Assert.Equal(0, (await List(client, id)).GetArrayLength());
        using (var gone = await client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        await using var connection = new Npgsql.NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select data::text from marten.mt_events where stream_id = $1 and mt_dotnet_type like '%DocumentDeleted%'", connection)
        {
            Parameters = { new Npgsql.NpgsqlParameter { Value = id } },
        };
        var data = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!).RootElement;
        Assert.Equal(("Mietvertrag", "Versehentlich im falschen Fall"), (data.GetProperty("title").GetString(), data.GetProperty("reason").GetString()));
        Assert.False(string.IsNullOrEmpty(data.GetProperty("deletedBy").GetString()));
        Assert.False(string.IsNullOrEmpty(data.GetProperty("deletedAt").GetString()));
        Assert.DoesNotContain(marker, data.GetRawText(), StringComparison.Ordinal);

        // Deleting it again: not found (the event stays the only trace).
        using var twice = await Delete(client, id, documentId, "noch einmal");
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
    }

    [Fact]
    public async Task A_restricted_case_refuses_uploads_like_other_changes()
    {
        using var client = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor("dpo@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        using (var restricted = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/restriction", new { reason = "Antrag nach Art. 18" }))
        {
            Assert.Equal(HttpStatusCode.OK, restricted.StatusCode);
        }

        var (status, body, response) = await Upload(client, id, Pdf("x"), "Bescheid", "Letter");
        response.Dispose();
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("restricted", body.GetProperty("code").GetString());
        Assert.Equal(0, await StoredChunks(app, id));
    }

    [Fact]
    public async Task The_export_zip_contains_the_files()
    {
        using var client = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor("dpo@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        var pdf = Pdf(RichCases.NewMarker());
        var png = Png(RichCases.NewMarker());
        await Attach(client, id, pdf, "Bescheid", "Letter");
        await Attach(client, id, png, "Foto/Aufenthaltstitel", "ResidenceDocument");

        using var export = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/export", new { purpose = "Auskunftsersuchen" });
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var zip = new ICSharpCode.SharpZipLib.Zip.ZipFile(new MemoryStream(await export.Content.ReadAsByteArrayAsync()));
        byte[] Entry(string name)
        {
            using var stream = zip.GetInputStream(zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException("Missing " + name));
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }

        Assert.Equal(pdf, Entry("dokumente/01-Bescheid.pdf"));
        Assert.Equal(png, Entry("dokumente/02-Foto_Aufenthaltstitel.png"));
        Assert.Contains("Foto/Aufenthaltstitel", System.Text.Encoding.UTF8.GetString(Entry("auskunft.html")), StringComparison.Ordinal);
    }

    /// <summary>
    /// pg_dump writes live rows only, bytea as hex: the marker is looked for as hex (and as text), first before the
    /// erasure (so the test can fail) and then after it. What this proves: no live row of any table holds the bytes.
    /// Dead row versions stay in the table's pages until VACUUM (autovacuum) reuses them, and in the WAL and backups
    /// for their retention (docs/data-protection.md).
    /// </summary>
    [Fact]
    public async Task After_an_erasure_the_bytes_are_gone_no_marker_in_a_pg_dump()
    {
        using var client = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor("dpo@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        var marker = RichCases.NewMarker();
        await Attach(client, id, Pdf(marker), "Aufenthaltstitel", "ResidenceDocument");
        await Attach(client, id, Docx(marker), "Zeugnis", "Certificate");
        var caseNumber = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString()!;

        Assert.Contains(Hex(marker), await app.Postgres.DumpAsync(app.Factory.ConnectionString), StringComparison.Ordinal);

        using var requested = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/erasure",
            new { reason = "Antrag der betroffenen Person", legalBasis = "Art. 17 Abs. 1 lit. b DSGVO" });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var erasureId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();
        using var confirmed = await dpo.PostAsJsonAsync($"/api/v1/data-protection/erasures/{erasureId}/confirm", new { caseNumber });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        Assert.Equal(0, await StoredChunks(app, id));
        var dump = await app.Postgres.DumpAsync(app.Factory.ConnectionString);
        Assert.DoesNotContain(Hex(marker), dump, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_case_page_documents_are_listed_in_the_section_and_the_timeline_and_deleted_after_a_confirmation()
    {
        using var api = await app.ClientFor("im3@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        var documentId = await Attach(api, id, Pdf(RichCases.NewMarker()), "Anerkennungsbescheid", "Certificate", "2026-10-01");
        using var session = await app.SignedInAs("im3@musterstadt.example");
        var page = $"/faelle/{id}";

        var shown = await session.GetPageAsync($"{page}/dokumente");
        var row = Assert.Single(shown.QuerySelectorAll("[data-testid=documents] tbody tr")).QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["Anerkennungsbescheid", "Nachweis/Zeugnis", "01.10.2026"], row.Take(3));
        Assert.Contains((await session.GetPageAsync($"{page}/verlauf")).QuerySelectorAll("[data-testid=timeline] td"), td => td.TextContent == "Dokument angefügt (Nachweis/Zeugnis, 01.10.2026): Anerkennungsbescheid");

        var confirm = $"{page}/dokumente/{documentId}/loeschen";
        var confirmPage = await session.GetPageAsync(confirm);
        Assert.Equal("Anerkennungsbescheid", confirmPage.QuerySelector("[data-testid=document-title]")!.TextContent);
        var withoutReason = await ParseAsync(await session.PostFormAsync(confirm, confirm, Fields(("Version", "3"), ("Reason", ""))));
        Assert.Contains("Bitte den Grund der Löschung angeben.", withoutReason.ErrorMessages());
        Assert.Equal(1, await StoredChunks(app, id));

        var after = await session.FollowAsync(await session.PostFormAsync(confirm, confirm, Fields(("Version", "3"), ("Reason", "Doppelt hochgeladen"))));
        Assert.Contains("Das Dokument ist gelöscht", after.QuerySelector(".notice[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(after.QuerySelectorAll("[data-testid=documents] tbody tr"));
        Assert.Equal("Dokumente", after.QuerySelector(".case-tabs a[aria-current=page]")!.TextContent);
        Assert.Contains((await session.GetPageAsync($"{page}/verlauf")).QuerySelectorAll("[data-testid=timeline] td"), td => td.TextContent == "Dokument „Anerkennungsbescheid“ gelöscht: Doppelt hochgeladen");
        Assert.Equal(0, await StoredChunks(app, id));
    }
}
