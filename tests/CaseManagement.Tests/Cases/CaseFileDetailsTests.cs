using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Cases;

/// <summary>Intake details (contact, address, arrival, consent), household links, the profile part and referrals — via the API.</summary>
public sealed class CaseFileDetailsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Owner = "im1@musterstadt.example";

    private static async Task<JsonElement> Get(HttpClient client, Guid id) => await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");

    private static long Version(JsonElement body) => body.GetProperty("version").GetInt64();

    private static string Error(JsonElement body, string field) => body.GetProperty("errors").GetProperty(field)[0].GetString()!;

    private static async Task<JsonElement> Ok(HttpClient client, string url, object body, long version)
    {
        var (status, result) = await CaseApi.PostVersioned(client, url, body, version);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {result}");
        return result;
    }

    [Fact]
    public async Task Intake_takes_contact_address_arrival_and_consent_and_the_case_shows_them()
    {
        using var client = await app.ClientFor(Owner);
        using var response = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Samira",
            lastName = "Kontakt-" + Guid.NewGuid().ToString("N")[..6],
            birthDate = "1988-03-02",
            gender = "female",
            nationality = "AF",
            languages = new[] { "fa", "de" },
            interpreterLanguage = "fa",
            arrivedOn = "2023-06-14",
            supportStart = "2026-03-01",
            housing = new { type = "FollowUpAccommodation", since = "2025-12-01" },
            residenceStatus = new { kind = "RefugeeProtection", validUntil = "2029-05-31" },
            contact = new { phone = "+49 711 123456", email = "samira@example.org", street = "Lindenstraße 4", postalCode = "70173", city = "Musterstadt" },
            consent = new { givenOn = "2026-03-01", scopes = new[] { "Counselling", "SharingWithServices" }, formVersion = "2025-03" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var body = await Get(client, id);
        Assert.Equal(4, Version(body));
        Assert.Equal("2023-06-14", body.GetProperty("arrivedOn").GetString());
        Assert.Equal("2025-12-01", body.GetProperty("housingSince").GetString());
        Assert.Equal("fa", body.GetProperty("interpreterLanguage").GetString());
        var contact = body.GetProperty("contact");
        Assert.Equal(("+49 711 123456", "samira@example.org", "Lindenstraße 4", "70173", "Musterstadt"), (
            contact.GetProperty("phone").GetString(), contact.GetProperty("email").GetString(), contact.GetProperty("street").GetString(),
            contact.GetProperty("postalCode").GetString(), contact.GetProperty("city").GetString()));
        var consent = body.GetProperty("consent");
        Assert.Equal("2026-03-01", consent.GetProperty("givenOn").GetString());
        Assert.Equal("2025-03", consent.GetProperty("formVersion").GetString());
        Assert.Equal(["Counselling", "SharingWithServices"], consent.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var history = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/history");
        var descriptions = history.EnumerateArray().Select(e => e.GetProperty("description").GetString()).ToList();
        Assert.Contains("Kontaktdaten und Anschrift geändert", descriptions);
        Assert.Contains("Einwilligung erfasst (vom 01.03.2026, Formular 2025-03)", descriptions);
    }

    [Fact]
    public async Task Invalid_contact_and_incomplete_consent_at_intake_are_422_per_field_and_store_nothing()
    {
        using var client = await app.ClientFor(Owner);
        var lastName = "Ungueltig-" + Guid.NewGuid().ToString("N")[..6];
        using var response = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Test",
            lastName,
            birthDate = "1990-01-01",
            gender = "male",
            arrivedOn = "2099-01-01",
            supportStart = "2026-03-01",
            housing = new { type = "FollowUpAccommodation", since = "2025-12-01" },
            residenceStatus = new { kind = "RefugeeProtection" },
            contact = new { phone = "abc", email = "kein-at", postalCode = "7017" },
            consent = new { givenOn = "2026-03-01" },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Das Einreisedatum darf nicht in der Zukunft und nicht vor der Geburt liegen.", Error(body, "arrivedOn"));
        Assert.StartsWith("Die Telefonnummer bitte nur mit Ziffern", Error(body, "contact.phone"), StringComparison.Ordinal);
        Assert.Equal("Bitte eine gültige E-Mail-Adresse angeben (z. B. name@example.org).", Error(body, "contact.email"));
        Assert.Equal("Die Postleitzahl hat fünf Ziffern.", Error(body, "contact.postalCode"));
        Assert.Equal("Bitte angeben, wofür die Einwilligung gilt.", Error(body, "consent.scopes"));
        Assert.Equal("Bitte die Version des Einwilligungsformulars angeben.", Error(body, "consent.formVersion"));

        using var list = await client.GetAsync($"/api/v1/clients?search={lastName}");
        Assert.Equal("0", list.Headers.GetValues("X-Total-Count").Single());
    }

    [Fact]
    public async Task Contact_details_and_a_renewed_consent_can_be_changed_later()
    {
        using var client = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(client);
        var body = await Get(client, id);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("consent").ValueKind);

        body = await Ok(client, $"/api/v1/clients/{id}/contact", new { phone = "0711 98765", city = "Musterstadt" }, Version(body));
        Assert.Equal("0711 98765", body.GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("contact").GetProperty("email").ValueKind);

        var (unchanged, unchangedBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/contact", new { phone = "0711 98765", city = "Musterstadt" }, Version(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unchanged);
        Assert.Contains("Die Kontaktdaten sind unverändert.", unchangedBody.ToString(), StringComparison.Ordinal);

        var (invalid, invalidBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/consent", new { givenOn = "2099-01-01", scopes = new[] { "Counselling" }, formVersion = "2026-01" }, Version(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Equal("Das Datum der Einwilligung muss zwischen 27.04.2017 und heute liegen.", Error(invalidBody, "givenOn"));

        body = await Ok(client, $"/api/v1/clients/{id}/consent", new { givenOn = "2026-02-01", scopes = new[] { "Counselling", "ContactByPhoneOrEmail" }, formVersion = "2026-01" }, Version(body));
        Assert.Equal("2026-01", body.GetProperty("consent").GetProperty("formVersion").GetString());
        Assert.Equal(4, Version(body));
    }

    [Fact]
    public async Task Household_members_are_linked_by_case_number_on_both_sides_and_can_be_unlinked()
    {
        using var client = await app.ClientFor(Owner);
        var mother = await CaseApi.NewCase(client);
        var child = await CaseApi.NewCase(client);
        var childNumber = (await Get(client, child)).GetProperty("caseNumber").GetString()!;

        var body = await Ok(client, $"/api/v1/clients/{mother}/household", new { memberCaseNumber = childNumber, relation = "Child" }, 2);
        var member = body.GetProperty("household").EnumerateArray().Single();
        Assert.Equal((child, childNumber, "Child"), (member.GetProperty("caseId").GetGuid(), member.GetProperty("caseNumber").GetString(), member.GetProperty("relation").GetString()));

        var childSide = (await Get(client, child)).GetProperty("household").EnumerateArray().Single();
        Assert.Equal((mother, "Parent"), (childSide.GetProperty("caseId").GetGuid(), childSide.GetProperty("relation").GetString()));

        var (again, againBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{mother}/household", new { memberCaseNumber = childNumber, relation = "Child" }, Version(body));
        Assert.Equal(HttpStatusCode.Conflict, again); // refused: invalid-transition
        Assert.Contains($"Fall {childNumber} gehört bereits zum Haushalt.", againBody.ToString(), StringComparison.Ordinal);

        using var unlink = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/clients/{mother}/household/{child}");
        unlink.Headers.TryAddWithoutValidation("If-Match", $"\"{Version(body)}\"");
        using var unlinked = await client.SendAsync(unlink);
        Assert.Equal(HttpStatusCode.OK, unlinked.StatusCode);
        Assert.Empty((await Get(client, mother)).GetProperty("household").EnumerateArray());
        Assert.Empty((await Get(client, child)).GetProperty("household").EnumerateArray());
    }

    [Fact]
    public async Task Only_own_cases_can_be_linked_and_a_case_not_with_itself()
    {
        using var client = await app.ClientFor(Owner);
        using var colleague = await app.ClientFor("im2@musterstadt.example");
        var own = await CaseApi.NewCase(client);
        var colleaguesCase = await CaseApi.NewCase(colleague);
        var ownNumber = (await Get(client, own)).GetProperty("caseNumber").GetString();
        var colleaguesNumber = (await Get(colleague, colleaguesCase)).GetProperty("caseNumber").GetString();

        var (foreign, foreignBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{own}/household", new { memberCaseNumber = colleaguesNumber, relation = "Partner" }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign);
        Assert.StartsWith("Unter dieser Fallnummer gibt es keinen Fall, den Sie bearbeiten.", Error(foreignBody, "memberCaseNumber"), StringComparison.Ordinal);

        var (self, selfBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{own}/household", new { memberCaseNumber = ownNumber, relation = "Partner" }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, self);
        Assert.Contains("Ein Fall kann nicht mit sich selbst verknüpft werden.", selfBody.ToString(), StringComparison.Ordinal);

        var (missing, missingBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{own}/household", new { memberCaseNumber = ownNumber }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing);
        Assert.Equal("Bitte die Beziehung zum Haushaltsmitglied wählen.", Error(missingBody, "relation"));

        Assert.Equal(2, Version(await Get(client, own)));
        Assert.Equal(2, Version(await Get(colleague, colleaguesCase)));
    }

    [Fact]
    public async Task The_profile_part_keeps_qualifications_schooling_languages_and_developments()
    {
        using var client = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(client);

        var body = await Ok(client, $"/api/v1/clients/{id}/profile", new
        {
            qualifications = "Elektriker (Berufspraxis)",
            competences = "Organisiert, Führerschein Klasse B",
            schoolYears = 10,
            schoolCertificate = "Mittlere Reife",
            schoolCountry = "sy",
            vocationalDegree = "Ausbildung Elektroinstallateur (Syrien)",
            workExperience = "8 Jahre Elektroinstallation",
        }, 2);
        var profile = body.GetProperty("profile");
        Assert.Equal((10, "SY", "Mittlere Reife"), (profile.GetProperty("schoolYears").GetInt32(), profile.GetProperty("schoolCountry").GetString(), profile.GetProperty("schoolCertificate").GetString()));

        body = await Ok(client, $"/api/v1/clients/{id}/language-levels", new { language = "de", level = "A2", basis = "Certificate", certificate = "telc A2", assessedOn = "2026-05-01" }, Version(body));
        body = await Ok(client, $"/api/v1/clients/{id}/language-levels", new { language = "de", level = "B1", basis = "Estimate", assessedOn = "2026-10-01" }, Version(body));
        // An older assessment entered later does not replace the newer one.
        body = await Ok(client, $"/api/v1/clients/{id}/language-levels", new { language = "de", level = "A1", basis = "Estimate", assessedOn = "2026-01-01" }, Version(body));
        body = await Ok(client, $"/api/v1/clients/{id}/language-levels", new { language = "ar", level = "C2", basis = "Estimate", assessedOn = "2026-05-01" }, Version(body));
        var levels = body.GetProperty("languageLevels").EnumerateArray().ToDictionary(l => l.GetProperty("language").GetString()!, l => l.GetProperty("level").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["de"] = "B1", ["ar"] = "C2" }, levels);

        body = await Ok(client, $"/api/v1/clients/{id}/developments", new { date = "2026-10-15", text = "Hat eine Stelle als Helfer angetreten." }, Version(body));
        var entry = body.GetProperty("developments").EnumerateArray().Single();
        Assert.Equal(("2026-10-15", "Hat eine Stelle als Helfer angetreten."), (entry.GetProperty("date").GetString(), entry.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Invalid_profile_input_is_422_per_field()
    {
        using var client = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(client);

        var (status, body) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/profile", new { schoolYears = 25, schoolCountry = "Syrien", workExperience = new string('x', 2001) }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Die Schuljahre bitte als Zahl von 0 bis 20 angeben.", Error(body, "schoolYears"));
        Assert.StartsWith("Das Land des Schulbesuchs bitte als zweistelligen Ländercode", Error(body, "schoolCountry"), StringComparison.Ordinal);
        Assert.Equal("Bitte die Berufserfahrung mit höchstens 2000 Zeichen angeben.", Error(body, "workExperience"));

        (status, body) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/language-levels", new { language = "deutsch", level = "B3", basis = "Certificate" }, 2);
        Assert.Equal(HttpStatusCode.BadRequest, status);

        (status, body) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/language-levels", new { language = "deutsch", basis = "Certificate", assessedOn = "2026-01-01" }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Die Sprache bitte als Sprachcode angeben (ISO 639, z. B. de).", Error(body, "language"));
        Assert.Equal("Bitte das Sprachniveau wählen (A1 bis C2).", Error(body, "level"));
        Assert.Equal("Bitte das Zertifikat angeben.", Error(body, "certificate"));

        (status, body) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/developments", new { date = "2026-01-01", text = " " }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Bitte die Entwicklung angeben.", Error(body, "text"));

        Assert.Equal(2, Version(await Get(client, id)));
    }

    [Fact]
    public async Task Referrals_to_regular_services_are_recorded_optionally_towards_a_goal()
    {
        using var client = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(client);
        var (created, goal) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "QualificationRecognition", text = "Berufsabschluss anerkennen lassen", agreedOn = "2026-03-01", targetDate = "2027-03-01" }, 2);
        Assert.Equal(HttpStatusCode.Created, created);
        var goalId = goal.GetProperty("goalId").GetGuid();

        var body = await Ok(client, $"/api/v1/clients/{id}/referrals", new { service = "RecognitionCounselling", serviceName = "IQ Netzwerk", date = "2026-03-05", goalId, note = "Termin vereinbart" }, 3);
        var referral = body.GetProperty("referrals").EnumerateArray().Single();
        Assert.Equal(("RecognitionCounselling", "IQ Netzwerk", goalId), (referral.GetProperty("service").GetString(), referral.GetProperty("serviceName").GetString(), referral.GetProperty("goalId").GetGuid()));

        var (otherGoal, otherGoalBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/referrals", new { service = "Jobcenter", date = "2026-03-05", goalId = Guid.NewGuid() }, 4);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherGoal);
        Assert.Contains("Das gewählte Ziel gehört nicht zu diesem Integrationsplan.", otherGoalBody.ToString(), StringComparison.Ordinal);

        var (unnamed, unnamedBody) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/referrals", new { service = "Other", date = "2026-03-05" }, 4);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unnamed);
        Assert.Equal("Bitte den Namen der Stelle angeben.", Error(unnamedBody, "serviceName"));

        var history = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}/history");
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("description").GetString() == "Vermittelt an Anerkennungsberatung (IQ Netzwerk)");
    }

    public static TheoryData<string, string> WriteEndpoints => new()
    {
        { "contact", """{"phone":"0711 1"}""" },
        { "consent", """{"givenOn":"2026-01-01","scopes":["Counselling"],"formVersion":"1"}""" },
        { "household", """{"memberCaseNumber":"2026-0001","relation":"Child"}""" },
        { "profile", """{"qualifications":"x"}""" },
        { "language-levels", """{"language":"de","level":"A1","basis":"Estimate","assessedOn":"2026-01-01"}""" },
        { "developments", """{"date":"2026-01-01","text":"x"}""" },
        { "referrals", """{"service":"Jobcenter","date":"2026-01-01"}""" },
    };

    [Theory]
    [MemberData(nameof(WriteEndpoints))]
    public async Task Every_new_endpoint_is_404_for_other_managers_and_organisations_412_when_stale_and_428_without_version(string path, string json)
    {
        using var client = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(client);
        var url = $"/api/v1/clients/{id}/{path}";

        foreach (var email in new[] { "im2@musterstadt.example", "im1@beispiel.example" })
        {
            using var other = await app.ClientFor(email);
            Assert.Equal(HttpStatusCode.NotFound, (await Send(other, url, json, "\"2\"")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Send(client, url, json, null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(client, url, json, "\"1\"")).StatusCode);
        Assert.Equal(2, Version(await Get(client, id)));
    }

    [Fact]
    public async Task A_closed_case_takes_no_contact_or_profile_changes()
    {
        using var client = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(client);
        await Ok(client, $"/api/v1/clients/{id}/close", new { reason = "MovedAway", closedOn = "2026-11-01" }, 2);

        var (status, body) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/profile", new { qualifications = "x" }, 3);
        Assert.Equal(HttpStatusCode.Conflict, status); // refused: closed (docs/processing-rules.md)
        Assert.Equal("closed", body.GetProperty("code").GetString());
        Assert.Contains("Der Fall ist abgeschlossen; bitte zuerst wieder eröffnen.", body.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string url, string json, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }
}
