using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.DataProtection.RichCases;

namespace CaseManagement.Tests.DataProtection;

/// <summary>Every data-protection endpoint and page: the own organisation's DPO only; everyone else 403, other organisations 404.</summary>
public sealed class DataProtectionAccessTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string ForeignDpo = "dsb@beispiel.example";

    private sealed record Endpoint(HttpMethod Method, string Url, object? Body, bool NamesARecord);

    private static IEnumerable<Endpoint> Endpoints(Guid caseId, Guid erasureId) =>
    [
        new(HttpMethod.Get, "/api/v1/data-protection/subjects?query=Fall&purpose=Pr%C3%BCfung", null, false),
        new(HttpMethod.Post, "/api/v1/data-protection/subjects/search", new { query = "Fall", purpose = "Prüfung" }, false),
        new(HttpMethod.Get, $"/api/v1/data-protection/subjects/{caseId}", null, true),
        new(HttpMethod.Post, $"/api/v1/data-protection/subjects/{caseId}/export", new { }, true),
        new(HttpMethod.Post, $"/api/v1/data-protection/subjects/{caseId}/restriction", new { reason = "Prüfung" }, true),
        new(HttpMethod.Delete, $"/api/v1/data-protection/subjects/{caseId}/restriction", null, true),
        new(HttpMethod.Post, $"/api/v1/data-protection/subjects/{caseId}/consent-withdrawal", new { withdrawnOn = "2026-10-01", scopes = new[] { "Counselling" } }, true),
        new(HttpMethod.Post, $"/api/v1/data-protection/subjects/{caseId}/erasure", new { reason = "Prüfung", legalBasis = "Art. 17" }, true),
        new(HttpMethod.Post, $"/api/v1/data-protection/erasures/{erasureId}/confirm", new { caseNumber = "2026-0000" }, true),
        new(HttpMethod.Delete, $"/api/v1/data-protection/erasures/{erasureId}", null, true),
        new(HttpMethod.Get, "/api/v1/data-protection/erasures", null, false),
        new(HttpMethod.Get, "/api/v1/data-protection/retention", null, false),
        new(HttpMethod.Post, $"/api/v1/data-protection/retention/{caseId}/hold", new { reason = "Prüfung" }, true),
        new(HttpMethod.Delete, $"/api/v1/data-protection/retention/{caseId}/hold", null, true),
        new(HttpMethod.Get, "/api/v1/data-protection/access-log", null, false),
    ];

    private static async Task<HttpStatusCode> Send(HttpClient client, Endpoint endpoint)
    {
        using var request = new HttpRequestMessage(endpoint.Method, endpoint.Url) { Content = endpoint.Body is null ? null : JsonContent.Create(endpoint.Body) };
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<(Guid CaseId, Guid ErasureId)> Arrange()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        using var requested = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/erasure", new { reason = "Test", legalBasis = "Art. 17" });
        var erasure = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();

        // A data-protection officer of the other organisation: an account of its administration, appointed by the platform operator.
        if (!await app.WithDb(db => db.Users.AnyAsync(u => u.Email == ForeignDpo)))
        {
            using var admin = await app.SignedInAs("admin@beispiel.example");
            var team = await app.WithDb(db => db.Teams.Where(t => t.Name == "Integrationsmanagement").Select(t => t.Id).SingleAsync());
            await WebSession.AssertRedirectAsync(await admin.PostFormAsync("/verwaltung/benutzer/neu", "/verwaltung/benutzer/neu", WebSession.Fields(
                ("Email", ForeignDpo), ("DisplayName", "Dora Schutz"), ("Role", Roles.Manager), ("TeamId", team.ToString()), ("Password", AppFixture.UserPassword))));
            Assert.Empty(await app.Operator(operations => operations.GrantAsync(ForeignDpo, Roles.DataProtectionOfficer)));
        }

        return (id, erasure);
    }

    [Theory]
    [InlineData(Manager)]
    [InlineData(Lead)]
    [InlineData("admin@musterstadt.example")]
    public async Task Other_roles_get_403_from_every_data_protection_endpoint(string email)
    {
        var (caseId, erasureId) = await Arrange();
        using var client = await app.ClientFor(email);
        foreach (var endpoint in Endpoints(caseId, erasureId))
        {
            Assert.True(await Send(client, endpoint) == HttpStatusCode.Forbidden, $"{endpoint.Method} {endpoint.Url} for {email}");
        }

        using var anonymous = app.Factory.CreateClient();
        foreach (var endpoint in Endpoints(caseId, erasureId))
        {
            Assert.True(await Send(anonymous, endpoint) == HttpStatusCode.Unauthorized, $"{endpoint.Method} {endpoint.Url} anonymous");
        }
    }

    [Fact]
    public async Task The_DPO_of_another_organisation_finds_nothing_and_gets_404_for_its_records()
    {
        var (caseId, erasureId) = await Arrange();
        using var foreign = await app.ClientFor(ForeignDpo);
        foreach (var endpoint in Endpoints(caseId, erasureId))
        {
            var status = await Send(foreign, endpoint);
            Assert.True(endpoint.NamesARecord ? status == HttpStatusCode.NotFound : status == HttpStatusCode.OK, $"{endpoint.Method} {endpoint.Url}: {(int)status}");
        }

        var found = await foreign.GetFromJsonAsync<JsonElement>("/api/v1/data-protection/subjects?query=Fall&purpose=Pr%C3%BCfung");
        Assert.Equal(0, found.GetArrayLength());
        Assert.Equal(0, (await foreign.GetFromJsonAsync<JsonElement>("/api/v1/data-protection/erasures")).GetArrayLength());

        // The own DPO still sees the case and the request untouched.
        using var dpo = await app.ClientFor(Dpo);
        Assert.Equal(HttpStatusCode.OK, (await dpo.GetAsync($"/api/v1/data-protection/subjects/{caseId}")).StatusCode);
        Assert.Contains((await dpo.GetFromJsonAsync<JsonElement>("/api/v1/data-protection/erasures")).EnumerateArray(),
            e => e.GetProperty("id").GetGuid() == erasureId && e.GetProperty("status").GetString() == "Requested");
    }

    [Fact]
    public async Task The_pages_are_for_the_DPO_only_and_a_foreign_record_is_not_found()
    {
        var (caseId, erasureId) = await Arrange();
        var pages = new[] { "/datenschutz/betroffene", $"/datenschutz/betroffene/{caseId}", "/datenschutz/loeschungen", $"/datenschutz/loeschungen/{erasureId}", "/datenschutz/aufbewahrung" };
        foreach (var email in new[] { Manager, Lead, "admin@musterstadt.example" })
        {
            using var web = await app.SignedInAs(email);
            foreach (var page in pages)
            {
                using var denied = await web.GetAsync(page);
                Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
                Assert.StartsWith("http://localhost/konto/kein-zugriff", denied.Headers.Location!.ToString(), StringComparison.Ordinal);
            }
        }

        using var foreign = await app.SignedInAs(ForeignDpo);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/datenschutz/betroffene/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/datenschutz/loeschungen/{erasureId}")).StatusCode);
        var crafted = await foreign.PostCraftedAsync("/datenschutz/betroffene", $"/datenschutz/loeschungen/{erasureId}/bestaetigen", WebSession.Fields(("caseNumber", "x")));
        Assert.Equal(HttpStatusCode.NotFound, crafted.StatusCode);

        // The DPO does not read case files through the managers' doors.
        using var dpo = await app.ClientFor(Dpo);
        Assert.Equal(HttpStatusCode.Forbidden, (await dpo.GetAsync($"/api/v1/clients/{caseId}")).StatusCode);
        var (status, _) = await CaseApi.PostVersioned(dpo, $"/api/v1/clients/{caseId}/consent/withdrawal", new { withdrawnOn = "2026-10-01", scopes = new[] { "Counselling" } }, 2);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}
