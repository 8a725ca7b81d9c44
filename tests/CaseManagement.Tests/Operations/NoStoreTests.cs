using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// No answer with personal data may be kept by a browser or a proxy: every API answer (also errors) and every
/// download (PDF, ZIP, CSV, XLSX, the print view) carries Cache-Control: no-store and Pragma: no-cache.
/// </summary>
public sealed partial class NoStoreTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Period = "from=2026-01-01&to=2026-12-31";

    private static void AssertNoStore(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what} ({(int)response.StatusCode}): Cache-Control '{response.Headers.CacheControl}'");
        Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
    }

    [GeneratedRegex(@"\{([^}:]+)(:[^}]*)?\}")]
    private static partial Regex PathParameter();

    [Fact]
    public async Task Every_API_answer_for_every_role_and_anonymous_says_no_store()
    {
        using var manager = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(manager);
        var team = await app.WithDb(db => db.Teams.Where(t => t.Name == "Nord").Select(t => t.Id).FirstAsync());
        using var anonymous = app.Factory.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("get", out _))
            .Select(p => PathParameter().Replace(p.Name, m => m.Groups[1].Value switch
            {
                "id" or "clientId" => caseId.ToString(),
                "teamId" => team.ToString(),
                _ => Guid.NewGuid().ToString(),
            }))
            .Select(path => path.Contains("reports", StringComparison.Ordinal) ? path + "?" + Period : path)
            .ToList();
        Assert.True(paths.Count >= 15, $"Only {paths.Count} GET operations in the OpenAPI document.");
        Assert.Contains($"/api/v1/clients/{caseId}", paths);
        paths.AddRange([$"/api/v1/clients/{Guid.NewGuid()}", "/api/v1/gibt-es-nicht"]);

        var clients = new List<(string Who, HttpClient Client)> { ("anonym", anonymous), ("im1", manager) };
        foreach (var email in new[] { "lead@musterstadt.example", "dpo@musterstadt.example", "admin@musterstadt.example" })
        {
            clients.Add((email, await app.ClientFor(email)));
        }

        var statuses = new HashSet<HttpStatusCode>();
        foreach (var (who, client) in clients)
        {
            foreach (var path in paths)
            {
                using var response = await client.GetAsync(path);
                statuses.Add(response.StatusCode);
                AssertNoStore(response, $"{who} GET {path}");
            }
        }

        // Writes and their errors too: a login, an intake refused as invalid, a malformed body.
        using (var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = "im1@musterstadt.example", password = "Demo!2026" }))
        {
            AssertNoStore(login, "POST /api/v1/auth/login");
        }

        using (var invalid = await manager.PostAsJsonAsync("/api/v1/clients", new { firstName = "" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
            AssertNoStore(invalid, "POST /api/v1/clients (invalid)");
        }

        using (var malformed = await manager.PostAsync("/api/v1/clients", new StringContent("{", System.Text.Encoding.UTF8, "application/json")))
        {
            AssertNoStore(malformed, "POST /api/v1/clients (malformed)");
        }

        Assert.Superset(new HashSet<HttpStatusCode> { HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound }, statuses);
        foreach (var (_, client) in clients.Skip(2))
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task Every_download_and_the_print_view_say_no_store_while_the_style_sheet_may_be_cached()
    {
        using var managerApi = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(managerApi);
        using var manager = await app.SignedInAs("im1@musterstadt.example");
        using var lead = await app.SignedInAs("lead@musterstadt.example");
        using var leadApi = await app.ClientFor("lead@musterstadt.example");
        using var dpo = await app.SignedInAs("dpo@musterstadt.example");
        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");

        var downloads = new List<(string What, string MediaType, Func<Task<HttpResponseMessage>> Get)>
        {
            ("print view", "text/html", () => manager.GetAsync($"/faelle/{caseId}/druck")),
            ("case page", "text/html", () => manager.GetAsync($"/faelle/{caseId}")),
            ("PDF (web)", "application/pdf", () => manager.GetAsync($"/faelle/{caseId}/plan.pdf")),
            ("PDF (API)", "application/pdf", () => managerApi.GetAsync($"/api/v1/clients/{caseId}/plan.pdf")),
            ("funding report CSV (web)", "text/csv", () => lead.GetAsync($"/berichte/foerderung?{Period}&scope=team&format=csv")),
            ("funding report XLSX (web)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", () => lead.GetAsync($"/berichte/foerderung?{Period}&scope=team&format=xlsx")),
            ("funding report CSV (API)", "text/csv", () => leadApi.GetAsync($"/api/v1/reports/funding?{Period}&format=csv")),
            ("funding report XLSX (API)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", () => leadApi.GetAsync($"/api/v1/reports/funding?{Period}&format=xlsx")),
            ("outcomes CSV (web)", "text/csv", () => lead.GetAsync($"/berichte/wirkung?{Period}&format=csv")),
            ("outcomes XLSX (API)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", () => leadApi.GetAsync($"/api/v1/reports/outcomes?{Period}&format=xlsx")),
            ("access log CSV (web)", "text/csv", () => dpo.GetAsync($"/datenschutz/zugriffsprotokoll/export.csv?caseId={caseId}")),
            ("access log CSV (API)", "text/csv", () => dpoApi.GetAsync($"/api/v1/data-protection/access-log?caseId={caseId}&format=csv")),
            ("subject export ZIP (web)", "application/zip", () => dpo.PostFormAsync($"/datenschutz/betroffene/{caseId}", $"/datenschutz/betroffene/{caseId}/export",
                WebSession.Fields(("ExportPurpose", "Auskunftsersuchen")))),
            ("subject export ZIP (API)", "application/zip", () => dpoApi.PostAsJsonAsync($"/api/v1/data-protection/subjects/{caseId}/export", new { purpose = "Auskunftsersuchen" })),
        };
        foreach (var (what, mediaType, get) in downloads)
        {
            using var response = await get();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what}: {(int)response.StatusCode}");
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            AssertNoStore(response, what);
        }

        using var css = await manager.GetAsync("/css/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.NotEqual(true, css.Headers.CacheControl?.NoStore);
    }
}
