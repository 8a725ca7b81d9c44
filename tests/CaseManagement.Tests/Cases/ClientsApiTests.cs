using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Cases;

public sealed class ClientsApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static object Intake(string first, string last, string kind = "SubsidiaryProtection", string nationality = "SY", string birthDate = "1990-05-17") => new
    {
        firstName = first,
        lastName = last,
        birthDate,
        gender = "female",
        nationality,
        languages = new[] { "ar" },
        supportStart = "2026-10-01",
        housing = new { type = "FollowUpAccommodation", since = "2026-08-01" },
        residenceStatus = new { kind, validUntil = "2028-01-31" },
    };

    private async Task<(Guid Id, JsonElement Body)> Create(string email, object intake)
    {
        using var client = await app.ClientFor(email);
        using var response = await client.PostAsJsonAsync("/api/v1/clients", intake);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body);
    }

    [Fact]
    public async Task Posting_the_contract_body_creates_the_case_with_location_version_and_verdict()
    {
        using var client = await app.ClientFor("im1@musterstadt.example");

        using var response = await client.PostAsJsonAsync("/api/v1/clients", Intake("Layla", "Karimi"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/clients/{id}", response.Headers.Location!.AbsolutePath);
        Assert.Equal(2, body.GetProperty("version").GetInt64());
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
        Assert.Matches(@"^\d{4}-\d{4}$", body.GetProperty("caseNumber").GetString());
        Assert.Equal("Eligible", body.GetProperty("eligibility").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task The_case_reads_back_with_the_contract_fields()
    {
        var (id, _) = await Create("im1@musterstadt.example", Intake("Omid", "Rahimi", kind: "AsylumProcedurePending", nationality: "AF"));
        using var client = await app.ClientFor("im1@musterstadt.example");

        using var response = await client.GetAsync($"/api/v1/clients/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag!.Tag);
        var c = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, c.GetProperty("id").GetGuid());
        Assert.Equal(2, c.GetProperty("version").GetInt64());
        Assert.Equal("Omid", c.GetProperty("firstName").GetString());
        Assert.Equal("Rahimi", c.GetProperty("lastName").GetString());
        Assert.Equal("1990-05-17", c.GetProperty("birthDate").GetString());
        Assert.Equal("Eligible", c.GetProperty("eligibility").GetProperty("verdict").GetString());
        Assert.Contains(c.GetProperty("eligibility").GetProperty("reasons").EnumerateArray(),
            r => r.GetString()!.Contains("Staatsangehörigkeit Afghanistan mit hoher Schutzquote", StringComparison.Ordinal));
        Assert.Equal("2029-09-30", c.GetProperty("supportPeriod").GetProperty("end").GetString());
        Assert.Equal(JsonValueKind.Array, c.GetProperty("goals").ValueKind);
        Assert.False(string.IsNullOrEmpty(c.GetProperty("caseNumber").GetString()));
    }

    [Fact]
    public async Task A_status_needing_an_individual_decision_is_reported_as_such()
    {
        var (_, body) = await Create("im1@musterstadt.example", Intake("Ausbildung", "Duldung", kind: "TrainingToleration"));

        Assert.Equal("NeedsIndividualDecision", body.GetProperty("eligibility").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task The_caseload_lists_own_cases_only_and_filters_by_name_and_status()
    {
        await Create("im2@musterstadt.example", Intake("Filter", "Eigene"));
        await Create("im3@musterstadt.example", Intake("Filter", "Fremde"));
        using var client = await app.ClientFor("im2@musterstadt.example");

        var all = await client.GetFromJsonAsync<JsonElement>("/api/v1/clients");
        var names = all.EnumerateArray().Select(c => c.GetProperty("lastName").GetString()).ToList();
        Assert.Contains("Eigene", names);
        Assert.DoesNotContain("Fremde", names);

        var searched = await client.GetFromJsonAsync<JsonElement>("/api/v1/clients?search=eigen");
        Assert.All(searched.EnumerateArray(), c => Assert.Equal("Eigene", c.GetProperty("lastName").GetString()));
        Assert.NotEmpty(searched.EnumerateArray());
        var closed = await client.GetFromJsonAsync<JsonElement>("/api/v1/clients?status=Closed");
        Assert.Empty(closed.EnumerateArray());
    }

    [Theory]
    [InlineData("im2@musterstadt.example", HttpStatusCode.NotFound)]
    [InlineData("im3@musterstadt.example", HttpStatusCode.NotFound)]
    [InlineData("lead-sued@musterstadt.example", HttpStatusCode.NotFound)]
    [InlineData("im1@beispiel.example", HttpStatusCode.NotFound)]
    [InlineData("lead@musterstadt.example", HttpStatusCode.OK)]
    [InlineData("dpo@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("admin@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("admin@beispiel.example", HttpStatusCode.Forbidden)]
    public async Task Only_the_manager_and_the_lead_of_the_managers_team_can_read_a_case(string email, HttpStatusCode expected)
    {
        var (id, _) = await Create("im1@musterstadt.example", Intake("Zugriff", "Geschützt-" + Guid.NewGuid().ToString("N")[..8]));
        using var client = await app.ClientFor(email);

        using var response = await client.GetAsync($"/api/v1/clients/{id}");

        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.DoesNotContain("Geschützt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("dpo@musterstadt.example", HttpStatusCode.Forbidden)]
    [InlineData("admin@musterstadt.example", HttpStatusCode.Forbidden)]
    public async Task Roles_without_case_work_can_neither_list_nor_create(string email, HttpStatusCode expected)
    {
        using var client = await app.ClientFor(email);

        using var list = await client.GetAsync("/api/v1/clients");
        using var create = await client.PostAsJsonAsync("/api/v1/clients", Intake("Nicht", "Erlaubt"));

        Assert.Equal(expected, list.StatusCode);
        Assert.Equal(expected, create.StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        using var client = app.Factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/v1/clients", Intake("Anonym", "Niemand"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_input_is_a_422_with_German_messages_per_JSON_field_and_nothing_is_stored()
    {
        using var client = await app.ClientFor("im3@musterstadt.example");
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/v1/clients")).GetArrayLength();

        using var response = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "",
            lastName = "Ohne-Vorname",
            birthDate = "2090-01-01",
            gender = "female",
            supportStart = "2026-10-01",
            residenceStatus = new { kind = "RefugeeProtection" },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Die Eingaben sind unvollständig oder ungültig.", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal("Bitte den Vornamen angeben.", errors.GetProperty("firstName")[0].GetString());
        Assert.Equal("Das Geburtsdatum muss zwischen 01.01.1900 und heute liegen.", errors.GetProperty("birthDate")[0].GetString());
        Assert.Equal("Bitte die Wohnform angeben.", errors.GetProperty("housing.type")[0].GetString());
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/v1/clients")).GetArrayLength());
    }

    [Theory]
    [InlineData("\"birthDate\": \"17.05.1990\"")]
    [InlineData("\"gender\": \"weiblich\"")]
    [InlineData("\"housing\": {\"type\": \"Zelt\", \"since\": \"2026-01-01\"}")]
    public async Task Malformed_values_are_a_400_with_a_German_message(string field)
    {
        using var client = await app.ClientFor("im3@musterstadt.example");
        using var content = new StringContent($"{{\"firstName\": \"A\", \"lastName\": \"B\", {field}}}", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/clients", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Die Anfrage ist ungültig.", problem.GetProperty("title").GetString());
        Assert.Contains("ungültig", problem.GetProperty("errors").EnumerateObject().First().Value[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_clients_endpoints()
    {
        using var client = app.Factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/clients", out var clients));
        Assert.True(clients.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/api/v1/clients/{id}", out _));
    }
}
