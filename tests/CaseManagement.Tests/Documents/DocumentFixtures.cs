using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Documents;

/// <summary>Files of every kind (built in memory, each with a marker inside its bytes) and the upload through the API.</summary>
public static class DocumentFixtures
{
    public static byte[] Pdf(string marker) => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png(string marker) => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Encoding.ASCII.GetBytes(marker)];

    public static byte[] Jpeg(string marker) => [0xFF, 0xD8, 0xFF, 0xE0, .. Encoding.ASCII.GetBytes(marker), 0xFF, 0xD9];

    public static byte[] Docx(string marker) => Zip(("[Content_Types].xml", "<Types/>"), ("word/document.xml", $"<w:document>{marker}</w:document>"));

    public static byte[] Odt(string marker) => Zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", $"<office:document-content>{marker}</office:document-content>"));

    /// <summary>A ZIP that is neither DOCX nor ODT (e.g. an XLSX or any archive).</summary>
    public static byte[] OtherZip(string marker) => Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", marker));

    public static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.NoCompression).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The lowercase hex of the text's bytes: how pg_dump writes a bytea column (a marker inside a file appears so in the dump).</summary>
    public static string Hex(string text) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes(text));

    /// <summary>POST /api/v1/clients/{id}/documents (multipart); fields left null are not sent.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Upload(
        HttpClient client, Guid caseId, byte[]? file, string? title, string? kind, string? date = null, string fileName = "scan.pdf", bool ifMatch = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        var version = ifMatch ? await VersionOf(client, caseId) : null;
        using var form = new MultipartFormDataContent();
        if (file is not null)
        {
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(content, "file", fileName);
        }

        foreach (var (name, value) in new[] { ("title", title), ("kind", kind), ("date", date) })
        {
            if (value is not null)
            {
                form.Add(new StringContent(value), name);
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{caseId}/documents") { Content = form };
        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement, response);
    }

    /// <summary>Uploads and answers the document's id (201 expected).</summary>
    public static async Task<Guid> Attach(HttpClient client, Guid caseId, byte[] file, string title, string kind = "Letter", string? date = null)
    {
        var (status, body, response) = await Upload(client, caseId, file, title, kind, date);
        response.Dispose();
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetGuid();
    }

    /// <summary>The case's current version (for If-Match); 1 when the client may not read the case (its answer is then 404 anyway).</summary>
    public static async Task<long?> VersionOf(HttpClient client, Guid caseId)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var read = await client.GetAsync($"/api/v1/clients/{caseId}");
        return read.StatusCode == HttpStatusCode.OK ? (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64() : 1;
    }

    /// <summary>DELETE …/documents/{documentId} with the reason and the case's current version.</summary>
    public static async Task<HttpResponseMessage> Delete(HttpClient client, Guid caseId, Guid documentId, string reason)
    {
        ArgumentNullException.ThrowIfNull(client);
        var version = await VersionOf(client, caseId);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/clients/{caseId}/documents/{documentId}") { Content = JsonContent.Create(new { reason }) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return await client.SendAsync(request);
    }

    public static async Task<long> Scalar(AppFixture app, string sql, params object[] parameters)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var connection = new Npgsql.NpgsqlConnection(app.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<long> StoredChunks(AppFixture app, Guid caseId) => Scalar(app, "select count(*) from cases.document_contents where case_id = $1", caseId);

    public static async Task<JsonElement> List(HttpClient client, Guid caseId) => await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{caseId}/documents");
}
