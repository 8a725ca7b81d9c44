using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Consultations;

public sealed class ConsultationsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_consultation_is_recorded_through_the_API_and_sets_the_last_contact()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        var recorded = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/consultations", new
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
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client);

        var refused = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/consultations", new { date = "2099-01-01", durationMinutes = 0 }, 2);

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
        using var api = await app.ClientFor("im3@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs("im3@musterstadt.example");
        var page = $"/faelle/{id}";

        var shown = await session.FollowAsync(await session.PostFormAsync($"{page}/beratungen", $"{page}/kontakte", Fields(
            ("Version", "2"), ("Date", "2026-11-12"), ("DurationMinutes", "30"), ("Mode", "Phone"),
            ("Fields", "LabourMarket"), ("Fields", "QualificationRecognition"), ("Note", "Termin Anerkennungsberatung vereinbart"))));

        var row = Assert.Single(shown.QuerySelectorAll("[data-testid=consultations] tbody tr")).QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal(["12.11.2026", "30 Min.", "Telefon", "Arbeitsmarktintegration, Anerkennung ausländischer Qualifikationen", "–", "Termin Anerkennungsberatung vereinbart"], row);
        Assert.Contains((await session.GetPageAsync($"{page}/verlauf")).QuerySelectorAll("[data-testid=timeline] td"), td => td.TextContent == "Beratungskontakt am 12.11.2026 (30 Min., Telefon)");
    }
}
