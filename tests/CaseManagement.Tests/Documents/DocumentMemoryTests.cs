using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Documents;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Documents.DocumentFixtures;

namespace CaseManagement.Tests.Documents;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "Measured alone";
}

/// <summary>
/// A 20 MB upload and its download are streamed. Measured as the bytes the whole process allocates (run alone, so
/// other tests do not count): the download; the accepted upload against the same upload refused after its first
/// bytes (415) — both pass the same transport (the in-process test server and ASP.NET's form reader, which buffers a
/// file over 64 KB in a temporary file), so the difference is what checking the type, storing the chunks and the gate
/// allocate. The figures go to docs/performance.md.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class DocumentMemoryTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_20_MB_upload_and_its_download_are_streamed_without_a_copy_of_the_file()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);
        var file = new byte[DocumentFiles.MaxBytes];
        Random.Shared.NextBytes(file);
        await Attach(client, id, Pdf("warm-up"), "Aufwärmen", "Other");

        file[0] = (byte)'#';
        var (refusedStatus, refused) = await MeasureUpload(client, id, file);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refusedStatus.Status);
        Pdf("x").CopyTo(file, 0);
        var (accepted, stored) = await MeasureUpload(client, id, file);
        Assert.Equal(HttpStatusCode.Created, accepted.Status);
        Assert.Equal(21, await StoredChunks(app, id));

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var download = await client.GetAsync($"/api/v1/clients/{id}/documents/{accepted.Id}", HttpCompletionOption.ResponseHeadersRead);
        await using (var body = await download.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[81920];
            long read = 0;
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                read += n;
            }

            Assert.Equal(file.Length, read);
        }

        var downloaded = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"20 MB: upload refused after the type check {Mb(refused)}, accepted and stored {Mb(stored)} (storing: {Mb(stored - refused)}); download {Mb(downloaded)} — bytes allocated by the whole process.");
        Assert.True(stored - refused < DocumentFiles.MaxBytes / 4, $"storing allocated {stored - refused:N0} bytes");
        Assert.True(downloaded < DocumentFiles.MaxBytes / 4, $"download allocated {downloaded:N0} bytes");
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";

    private static async Task<((HttpStatusCode Status, Guid? Id) Answer, long Allocated)> MeasureUpload(HttpClient client, Guid caseId, byte[] file)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(file), "file", "gross.pdf" },
            { new StringContent("Großer Scan"), "title" },
            { new StringContent("Other"), "kind" },
        };

        // Sent in 64 KB pieces, as a browser sends it (one 20 MB write would sit whole in the test server's pipe).
        using var serialised = new MemoryStream();
        await form.CopyToAsync(serialised);
        serialised.Position = 0;
        using var streamed = new StreamContent(serialised, 64 * 1024);
        streamed.Headers.ContentType = form.Headers.ContentType;
        streamed.Headers.ContentLength = serialised.Length;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{caseId}/documents") { Content = streamed };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{await VersionOf(client, caseId)}\"");
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await client.SendAsync(request);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Guid? id = response.StatusCode == HttpStatusCode.Created ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid() : null;
        return ((response.StatusCode, id), allocated);
    }
}
