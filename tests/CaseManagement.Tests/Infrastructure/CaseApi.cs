using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Api;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>Helpers for tests that drive the clients API as a signed-in API client.</summary>
public static class CaseApi
{
    public static async Task<HttpClient> ClientFor(this AppFixture app, string email, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiAuthenticationTests.TokenFor(client, email, password ?? AppFixture.PasswordOf(email)));
        // The tests read the changed case from a write's answer (RFC 7240); without it a write answers with id and version only.
        client.DefaultRequestHeaders.Add("Prefer", "return=representation");
        return client;
    }

    /// <summary>Opens a case (version 2) with a unique last name; housing in the AU since 15.01.2026.</summary>
    public static async Task<Guid> NewCase(HttpClient client, string residence = "RefugeeProtection", string supportStart = "2026-02-01", string nationality = "SY") =>
        (await NewCaseWithNumber(client, residence, supportStart, nationality)).Id;

    /// <summary>As <see cref="NewCase"/>, with the case number the intake gave the case.</summary>
    public static async Task<(Guid Id, string Number)> NewCaseWithNumber(HttpClient client, string residence = "RefugeeProtection", string supportStart = "2026-02-01", string nationality = "SY")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Test",
            lastName = "Fall-" + Guid.NewGuid().ToString("N")[..8],
            birthDate = "1990-09-09",
            gender = "unknown",
            nationality,
            supportStart,
            housing = new { type = "FollowUpAccommodation", since = "2026-01-15" },
            residenceStatus = new { kind = residence },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("id").GetGuid(), json.GetProperty("caseNumber").GetString()!);
    }

    /// <summary>POST with <c>If-Match</c> set to <paramref name="version"/>; returns status and JSON body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostVersioned(HttpClient client, string url, object? body, long version)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
