using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Api;

public sealed class ApiAuthenticationTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Login_returns_a_bearer_token_that_authorises_a_protected_endpoint()
    {
        using var client = app.Factory.CreateClient();

        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "lead-sued@musterstadt.example", password = DemoData.DefaultPassword });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.True(token.GetProperty("expiresIn").GetInt32() > 0);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        using var me = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Tobias Braun", profile.GetProperty("displayName").GetString());
        Assert.Equal("Stadt Musterstadt", profile.GetProperty("organisationName").GetString());
        Assert.Equal("Süd", profile.GetProperty("teamName").GetString());
        Assert.Equal([Roles.TeamLead], profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_wrong_password_returns_a_German_ProblemDetails_401()
    {
        using var client = app.Factory.CreateClient();

        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "im1@musterstadt.example", password = "Falsch!2026" });

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal("application/problem+json", login.Content.Headers.ContentType!.MediaType);
        var problem = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Anmeldung fehlgeschlagen.", problem.GetProperty("title").GetString());
        Assert.Equal("E-Mail-Adresse oder Passwort ist falsch.", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("accessToken", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_protected_endpoint_without_token_returns_a_German_ProblemDetails_401()
    {
        using var client = app.Factory.CreateClient();

        using var me = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("application/problem+json", me.Content.Headers.ContentType!.MediaType);
        var problem = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Nicht angemeldet.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_forged_or_garbled_token_is_not_accepted()
    {
        using var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8-kein-echtes-token");

        using var me = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task The_browser_session_cookie_does_not_open_the_API()
    {
        using var session = await app.SignedInAs("im1@musterstadt.example");

        using var me = await session.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Malformed_login_requests_get_a_German_validation_problem()
    {
        using var client = app.Factory.CreateClient();
        using var content = new StringContent("{\"email\": ", System.Text.Encoding.UTF8, "application/json");

        using var login = await client.PostAsync("/api/v1/auth/login", content);

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        var problem = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Die Anfrage ist ungültig.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Unknown_API_routes_answer_anonymous_callers_with_401_and_signed_in_callers_with_a_German_ProblemDetails_404()
    {
        using var client = app.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (var anonymous = await client.GetAsync("/api/v1/gibt-es-nicht"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType!.MediaType);
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenFor(client, "im1@musterstadt.example"));
        using var response = await client.GetAsync("/api/v1/gibt-es-nicht");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Nicht gefunden.", problem.GetProperty("title").GetString());
    }

    internal static async Task<string> TokenFor(HttpClient client, string email, string password = DemoData.DefaultPassword)
    {
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API_and_not_the_pages()
    {
        using var client = app.Factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/auth/login", paths);
        Assert.Contains("/api/v1/me", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p, StringComparison.Ordinal));
    }
}
