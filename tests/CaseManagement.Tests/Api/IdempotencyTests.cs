using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Api;

/// <summary>Idempotency-Key: a retried creating request answers the first result instead of creating twice.</summary>
public sealed class IdempotencyTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im1@musterstadt.example";

    private static object Intake(string lastName) => new
    {
        firstName = "Ida",
        lastName,
        birthDate = "1991-03-04",
        gender = "unknown",
        nationality = "SY",
        supportStart = "2026-02-01",
        housing = new { type = "FollowUpAccommodation", since = "2026-01-15" },
        residenceStatus = new { kind = "RefugeeProtection" },
    };

    private static async Task<HttpResponseMessage> Send(HttpClient client, string url, object body, string? key, long? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        if (version is { } v)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_retried_intake_with_the_same_key_answers_the_first_result_and_creates_one_case()
    {
        using var api = await app.ClientFor(Manager);
        var lastName = "Wiederholt-" + Guid.NewGuid().ToString("N")[..8];
        var key = Guid.NewGuid().ToString();

        using var first = await Send(api, "/api/v1/clients", Intake(lastName), key);
        using var retry = await Send(api, "/api/v1/clients", Intake(lastName), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var cases = await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients?search={lastName}");
        Assert.Equal(1, cases.GetArrayLength());

        using var other = await Send(api, "/api/v1/clients", Intake(lastName + "x"), key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("Idempotency-Key schon verwendet.", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients?search={lastName}x")).GetArrayLength());
    }

    /// <summary>A multipart upload as a client retries it: a new boundary on every send.</summary>
    private static async Task<HttpResponseMessage> UploadDocument(HttpClient client, Guid caseId, byte[] file, string key, long version)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(content, "file", "scan.pdf");
        form.Add(new StringContent("Bescheid"), "title");
        form.Add(new StringContent("Letter"), "kind");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{caseId}/documents") { Content = form };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_retried_document_upload_with_the_same_key_answers_the_first_result_and_stores_one_document()
    {
        using var api = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(api);
        var version = await Documents.DocumentFixtures.VersionOf(api, id) ?? 0;
        var key = Guid.NewGuid().ToString();
        var pdf = Documents.DocumentFixtures.Pdf("einmal");

        using var first = await UploadDocument(api, id, pdf, key, version);
        using var retry = await UploadDocument(api, id, pdf, key, version);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/documents")).GetArrayLength());

        using var other = await UploadDocument(api, id, Documents.DocumentFixtures.Pdf("eine andere Datei"), key, version);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("Idempotency-Key schon verwendet.", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(1, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/documents")).GetArrayLength());
    }

    [Fact]
    public async Task A_retried_goal_is_agreed_once_and_another_user_s_key_is_their_own()
    {
        using var api = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(api);
        var key = Guid.NewGuid().ToString();
        var goal = new { field = "Housing", text = "Wohnung finden", agreedOn = "2026-02-02", targetDate = "2026-09-01" };

        using var first = await Send(api, $"/api/v1/clients/{id}/goals", goal, key, version: 2);
        using var retry = await Send(api, $"/api/v1/clients/{id}/goals", goal, key, version: 2);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        using var file = await api.GetAsync($"/api/v1/clients/{id}");
        Assert.Equal("\"3\"", file.Headers.ETag?.Tag);

        // The same key from someone else is theirs: it does not answer with this user's result.
        using var colleague = await app.ClientFor("im2@musterstadt.example");
        using var theirs = await Send(colleague, "/api/v1/clients", Intake("Anders-" + Guid.NewGuid().ToString("N")[..8]), key);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData("mit Leerzeichen")]
    [InlineData("ümlaut")]
    [InlineData("x")]
    public async Task A_key_outside_its_documented_form_is_a_German_400_and_nothing_is_stored(string key)
    {
        var value = key == "x" ? new string('x', 101) : key;
        using var api = await app.ClientFor(Manager);
        var lastName = "Schluessel-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await Send(api, "/api/v1/clients", Intake(lastName), value);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Ungültiger Idempotency-Key.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients?search={lastName}")).GetArrayLength());
    }
}
