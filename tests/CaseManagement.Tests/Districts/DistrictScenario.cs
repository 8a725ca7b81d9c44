using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Districts;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Tests.Districts;

/// <summary>The demo district (kept by Landkreis Beispiel, Stadt Musterstadt a member) and cases with a plan in 2026.</summary>
internal static class DistrictScenario
{
    public const string Coordinator = "koordination@beispiel.example";
    public const string Period = "from=2026-01-01&to=2026-12-31";

    public static Task<Guid> DemoDistrictId(AppFixture app) =>
        app.WithDb(db => (from d in db.Set<District>() join o in db.Organisations on d.OrganisationId equals o.Id where o.Name == DemoData.Beispiel select d.Id).SingleAsync());

    /// <summary><paramref name="count"/> cases of <paramref name="manager"/> (support from 01.02.2026), each with a language goal agreed on 01.03.2026.</summary>
    public static async Task<List<Guid>> CasesWithPlan(AppFixture app, string manager, int count)
    {
        using var api = await app.ClientFor(manager);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = await CaseApi.NewCase(api);
            var (status, body) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/goals",
                new { field = "Language", text = "Deutsch B1 – Freitext", agreedOn = "2026-03-01", targetDate = "2027-03-01" }, 2);
            Assert.True(status == HttpStatusCode.Created, body.ToString());
            ids.Add(id);
        }

        return ids;
    }

    public static async Task<JsonElement> Json(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static JsonElement Row(JsonElement report, string organisation, string? manager) =>
        report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("organisation").GetString() == organisation
            && (r.GetProperty("manager").ValueKind == JsonValueKind.Null ? null : r.GetProperty("manager").GetString()) == manager);

    public static int? Figure(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetInt32();
}
