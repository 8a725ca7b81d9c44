using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace CaseManagement.Tests.Plans;

public sealed class PlanPdfTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im1@musterstadt.example";

    private static string Url(Guid id) => $"/api/v1/clients/{id}/plan.pdf";

    private static async Task<string> CaseNumber(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString()!;

    private static async Task<string> LastName(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("lastName").GetString()!;

    private static async Task<(HttpResponseMessage Response, PdfDocument Document)> Download(HttpClient client, Guid id)
    {
        var response = await client.GetAsync(Url(id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, PdfDocument.Open(await response.Content.ReadAsByteArrayAsync()));
    }

    private static string TextOf(Page page) => PdfText.Of(page);

    [Fact]
    public async Task The_plan_downloads_as_an_A4_pdf_with_the_case_number_but_no_name_in_file_name_and_title()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var caseNumber = await CaseNumber(client, id);
        var lastName = await LastName(client, id);

        var (response, document) = await Download(client, id);
        using (response)
        using (document)
        {
            Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal($"Integrationsplan-{caseNumber}.pdf", response.Content.Headers.ContentDisposition!.FileNameStar);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
            Assert.Equal(1, document.NumberOfPages);
            var info = document.Information;
            Assert.Equal(("Integrationsplan " + caseNumber), info.Title);
            Assert.DoesNotContain(lastName, string.Join('|', info.Title, info.Author, info.Subject, info.Keywords), StringComparison.Ordinal);
            // Written by Skia's PDF backend (MIT), no licence key, nothing naming the AGPL.
            Assert.DoesNotContain("AGPL", info.Producer + info.Creator, StringComparison.OrdinalIgnoreCase);
            Assert.Equal((595, 842), ((int)Math.Round(document.GetPage(1).Width), (int)Math.Round(document.GetPage(1).Height)));
            // Noto Sans travels with the document, embedded.
            Assert.Matches(@"/BaseFont\s*/([A-Z]{6}\+)?NotoSans", Encoding.Latin1.GetString(bytes));
            Assert.Contains("/FontFile", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_plan_shows_the_german_texts_goals_steps_and_signature_lines()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var caseNumber = await CaseNumber(client, id);
        using (var empty = (await Download(client, id)).Document)
        {
            Assert.Contains("Noch keine Ziele vereinbart.", TextOf(empty.GetPage(1)), StringComparison.Ordinal);
        }

        var goalId = (await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Language", text = "Deutschkurs „Start“ – Prüfung B1 bestehen, Übungen täglich; Größe ß", agreedOn = "2026-11-02", targetDate = "2027-06-30" }, 2)).Body.GetProperty("goalId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals/{goalId}/steps",
            new { text = "Anmeldung beim Kursträger", responsible = "Client", dueDate = "2026-12-01" }, 3)).Status);

        var (response, document) = await Download(client, id);
        using (response)
        using (document)
        {
            var text = TextOf(document.GetPage(1));
            foreach (var expected in new[]
            {
                "Integrationsplan", $"Integrationsmanagement · Fall {caseNumber} · Stand ", "Staatsangehörigkeit", "01.02.2026 – 31.01.2029",
                "Vereinbarte Ziele", "Spracherwerb", "vereinbart am", "Zieltermin", "Deutschkurs „Start“ – Prüfung B1", "Größe ß",
                "02.11.2026", "30.06.2027", "vereinbart", "– Anmeldung beim Kursträger (Klient:in)", "01.12.2026", "offen",
                "Ort, Datum", "Unterschrift Klient:in", "Seite 1 von 1",
            })
            {
                Assert.Contains(expected, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_long_plan_flows_onto_further_pages_numbered_n_of_m()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        string[] fields = ["Language", "LabourMarket", "Housing", "Health", "SocialParticipation"];
        var longText = string.Join(' ', Enumerable.Repeat("Die Klientin erarbeitet mit Unterstützung der Beratungsstelle die nötigen Unterlagen und Schritte.", 4));
        for (var i = 0; i < 30; i++)
        {
            var created = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
                new { field = fields[i % fields.Length], text = $"Ziel {i + 1}: {longText}", agreedOn = "2026-02-15", targetDate = "2028-12-31" }, 2 + i);
            Assert.Equal(HttpStatusCode.Created, created.Status);
        }

        var (response, document) = await Download(client, id);
        using (response)
        using (document)
        {
            Assert.True(document.NumberOfPages >= 2, $"{document.NumberOfPages} page(s)");
            var last = TextOf(document.GetPage(document.NumberOfPages));
            Assert.Contains($"Seite {document.NumberOfPages} von {document.NumberOfPages}", last, StringComparison.Ordinal);
            Assert.Contains("Integrationsmanager:in", last, StringComparison.Ordinal);
            var all = string.Concat(document.GetPages().Select(TextOf));
            Assert.Contains("Ziel 30:", all, StringComparison.Ordinal);
            Assert.Contains("(Fortsetzung)", all, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("im2@musterstadt.example")]
    [InlineData("im1@beispiel.example")]
    public async Task Another_managers_or_organisations_plan_is_not_found(string email)
    {
        using var owner = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(owner);
        using var other = await app.ClientFor(email);

        using var response = await other.GetAsync(Url(id));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_plan_needs_a_bearer_token()
    {
        using var owner = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(owner);
        using var anonymous = app.Factory.CreateClient();

        using var response = await anonymous.GetAsync(Url(id));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_plan_pdf()
    {
        using var client = app.Factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var get = document.GetProperty("paths").GetProperty("/api/v1/clients/{id}/plan.pdf").GetProperty("get");
        Assert.True(get.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/pdf", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("404", out _));
    }
}
