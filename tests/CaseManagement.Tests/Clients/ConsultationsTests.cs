using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Api;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Clients;

public sealed class ConsultationsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<HttpClient> ClientFor(string email)
    {
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiAuthenticationTests.TokenFor(client, email));
        return client;
    }

    private static async Task<Guid> NewCase(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Kontakt",
            lastName = "Fall-" + Guid.NewGuid().ToString("N")[..8],
            birthDate = "1999-01-20",
            gender = "male",
            nationality = "AF",
            supportStart = "2026-03-01",
            housing = new { type = "FollowUpAccommodation", since = "2026-02-01" },
            residenceStatus = new { kind = "RefugeeProtection" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient client, string url, object body, long version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task A_consultation_is_recorded_through_the_API_and_sets_the_last_contact()
    {
        using var client = await ClientFor("im1@musterstadt.example");
        var id = await NewCase(client);

        var recorded = await Post(client, $"/api/v1/clients/{id}/consultations", new
        {
            date = "2026-11-10", durationMinutes = 45, mode = "HomeVisit", fields = new[] { "Language", "Housing" }, interpreterLanguage = "FA", note = "Wohnungssuche besprochen",
        }, 2);

        Assert.Equal(HttpStatusCode.OK, recorded.Status);
        var consultation = Assert.Single(recorded.Body.GetProperty("consultations").EnumerateArray());
        Assert.Equal(("2026-11-10", 45, "HomeVisit", "fa"), (consultation.GetProperty("date").GetString(), consultation.GetProperty("durationMinutes").GetInt32(),
            consultation.GetProperty("mode").GetString(), consultation.GetProperty("interpreterLanguage").GetString()));
        Assert.Equal(["Language", "Housing"], consultation.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("2026-11-10", recorded.Body.GetProperty("lastContact").GetString());
    }

    [Fact]
    public async Task An_incomplete_consultation_is_refused_per_field_and_nothing_is_stored()
    {
        using var client = await ClientFor("im1@musterstadt.example");
        var id = await NewCase(client);

        var refused = await Post(client, $"/api/v1/clients/{id}/consultations", new { date = "2099-01-01", durationMinutes = 0 }, 2);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        var errors = refused.Body.GetProperty("errors");
        Assert.Equal("Das Datum des Kontakts darf nicht in der Zukunft liegen.", errors.GetProperty("date")[0].GetString());
        Assert.Equal("Bitte die Dauer in Minuten angeben (5 bis 600).", errors.GetProperty("durationMinutes")[0].GetString());
        Assert.Equal("Bitte die Art des Kontakts wählen.", errors.GetProperty("mode")[0].GetString());
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task In_the_UI_a_consultation_is_recorded_with_topics_and_listed()
    {
        using var api = await ClientFor("im3@musterstadt.example");
        var id = await NewCase(api);
        using var session = await app.SignedInAs("im3@musterstadt.example");
        var page = $"/faelle/{id}";

        var shown = await session.FollowAsync(await session.PostFormAsync(page, $"{page}/kontakte", Fields(
            ("Version", "2"), ("Date", "2026-11-12"), ("DurationMinutes", "30"), ("Mode", "Phone"),
            ("Fields", "LabourMarket"), ("Fields", "QualificationRecognition"), ("Note", "Termin Anerkennungsberatung vereinbart"))));

        var row = Assert.Single(shown.QuerySelectorAll("[data-testid=consultations] tbody tr")).QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(["12.11.2026", "30 Min.", "Telefon", "Arbeitsmarktintegration, Anerkennung ausländischer Qualifikationen", "–", "Termin Anerkennungsberatung vereinbart"], row);
        Assert.Contains(shown.QuerySelectorAll("[data-testid=timeline] td"), td => td.TextContent == "Beratungskontakt am 12.11.2026 (30 Min., Telefon)");
    }
}
