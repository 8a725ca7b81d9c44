using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Hardening;

/// <summary>The findings of the probe, one by one: odd input is a German 4xx, never a 5xx, and nothing is stored.</summary>
public sealed class HostileInputTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_NUL_character_in_the_anonymous_sign_in_is_refused_with_a_German_422()
    {
        using var visitor = app.NewSession();
        var response = await visitor.SignInAsync("im1@musterstadt.example\0", "Demo\0!2026");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("Steuerzeichen", page.Body!.TextContent, StringComparison.Ordinal);

        using var client = app.Factory.CreateClient();
        using var api = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "a\0@b.example", password = "x\0" });
        Assert.Equal((HttpStatusCode)422, api.StatusCode);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Steuerzeichen", problem.GetProperty("errors").GetProperty("email")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_NUL_character_a_huge_text_and_a_year_9999_in_a_goal_are_refused_on_their_fields()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);

        var (status, body) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals", new
        {
            field = "Language", text = "Deutsch\0lernen", agreedOn = "2026-03-01", targetDate = "9999-12-31",
        }, 2);
        Assert.Equal((HttpStatusCode)422, status);
        var errors = body.GetProperty("errors");
        Assert.Contains("Steuerzeichen", errors.GetProperty("text")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("31.12.2100", errors.GetProperty("targetDate")[0].GetString(), StringComparison.Ordinal);

        (status, body) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals", new
        {
            field = "Language", text = new string('x', 1_000_000), agreedOn = "2026-03-01", targetDate = "2027-03-01",
        }, 2);
        Assert.Equal((HttpStatusCode)422, status);

        // Within the outer bounds but outside the plan range: the field's own message.
        (status, body) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals", new
        {
            field = "Language", text = "Deutsch lernen", agreedOn = "2026-03-01", targetDate = "2090-01-01",
        }, 2);
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains("Zieltermin muss zwischen", body.GetProperty("errors").GetProperty("targetDate")[0].GetString(), StringComparison.Ordinal);

        using var read = await api.GetAsync($"/api/v1/clients/{caseId}");
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Nulls_inside_lists_and_ten_thousand_languages_are_refused()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        using var intake = await api.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Null", lastName = "Liste", birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
            languages = new[] { "ar", null },
            housing = new { type = "FollowUpAccommodation", since = "2026-01-15" }, residenceStatus = new { kind = "RefugeeProtection" },
        });
        Assert.Equal((HttpStatusCode)422, intake.StatusCode);
        var problem = await intake.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Die Liste enthält leere Einträge.", problem.GetProperty("errors").GetProperty("languages")[0].GetString());

        using var many = await api.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Viele", lastName = "Sprachen", birthDate = "1990-01-01", gender = "unknown", supportStart = "2026-02-01",
            languages = Enumerable.Repeat("ar", 10_000).ToArray(),
            housing = new { type = "FollowUpAccommodation", since = "2026-01-15" }, residenceStatus = new { kind = "RefugeeProtection" },
        });
        Assert.Equal((HttpStatusCode)422, many.StatusCode);

        var caseId = await CaseApi.NewCase(api);
        var (status, body) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/reviews", new
        {
            date = "2026-03-01", summary = "Gespräch", goals = new object?[] { null },
        }, 2);
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("Die Liste enthält leere Einträge.", body.GetProperty("errors").GetProperty("goals")[0].GetString());
    }

    [Fact]
    public async Task Dates_like_9999_12_31_in_query_strings_are_4xx_in_the_API_and_never_5xx_on_pages()
    {
        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");
        using var log = await dpoApi.GetAsync("/api/v1/data-protection/access-log?from=0001-01-01&to=9999-12-31");
        Assert.Equal((HttpStatusCode)422, log.StatusCode);

        using var dpo = await app.SignedInAs("dpo@musterstadt.example");
        using var page = await dpo.GetAsync("/datenschutz/zugriffsprotokoll?From=9999-12-31&To=9999-12-31");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var lead = await app.SignedInAs("lead@musterstadt.example");
        var report = await lead.GetPageAsync("/berichte/foerderung?from=0001-01-01&to=9999-12-31&scope=team");
        Assert.Contains(report.ErrorMessages(), m => m.Contains("31.12.2100", StringComparison.Ordinal));

        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        using var im1 = await app.SignedInAs("im1@musterstadt.example");
        using var asOf = await im1.GetAsync($"/faelle/{caseId}/stand?am=9999-12-31");
        Assert.True((int)asOf.StatusCode < 500, $"as-of answered {(int)asOf.StatusCode}");
        using var asOfEarly = await im1.GetAsync($"/faelle/{caseId}/stand?am=0001-01-01");
        Assert.True((int)asOfEarly.StatusCode < 500, $"as-of answered {(int)asOfEarly.StatusCode}");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task The_error_pages_cannot_be_asked_for_a_status(string method)
    {
        using var visitor = app.NewSession();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/fehler/500")
        {
            Content = method == "POST" ? new FormUrlEncodedContent([new("status", "503")]) : null,
        };
        using var response = await visitor.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_with_413()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/clients/{caseId}/consultations")
        {
            Content = new StringContent("{\"note\":\"" + new string('x', 1_100_000) + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        using var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var web = await app.SignedInAs("im1@musterstadt.example");
        var form = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/kontakte", Fields(("Version", "2"), ("Note", new string('x', 1_100_000))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, form.StatusCode);
    }

    [Fact]
    public async Task A_NUL_character_in_a_form_is_refused_with_a_German_page_and_nothing_is_stored()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        using var web = await app.SignedInAs("im1@musterstadt.example");
        var response = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/ruhen", Fields(("Version", "2"), ("Note", "Urlaub\0")));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("Steuerzeichen", page.Body!.TextContent, StringComparison.Ordinal);
        using var read = await api.GetAsync($"/api/v1/clients/{caseId}");
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_form_value_that_cannot_be_read_is_refused_with_422_instead_of_being_taken_as_empty()
    {
        using var manager = await app.SignedInAs("im2@musterstadt.example");
        await AssertRedirectAsync(await manager.PostCraftedAsync("/erinnerungen", "/erinnerungen/zusammenfassung", Fields(("enabled", "true"))));

        // "vielleicht" is no yes/no: before, the form went on with "no" and turned the digest off.
        var digest = await manager.PostCraftedAsync("/erinnerungen", "/erinnerungen/zusammenfassung", Fields(("enabled", "vielleicht")));

        Assert.Equal((HttpStatusCode)422, digest.StatusCode);
        var details = (await ParseAsync(digest)).QuerySelectorAll(".error-details li").Select(li => li.TextContent).ToList();
        Assert.Contains(details, d => d.StartsWith("enabled:", StringComparison.Ordinal) && d.Contains("kann nicht gelesen werden", StringComparison.Ordinal));
        Assert.True(await app.WithDb(db => db.Users.Where(u => u.Email == "im2@musterstadt.example").Select(u => u.ReminderDigest).SingleAsync()));

        // A field the action does not even use: the team was created with the unreadable id ignored.
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var teams = await app.WithDb(db => db.Teams.CountAsync());
        var team = await admin.PostCraftedAsync("/verwaltung/teams", "/verwaltung/teams", Fields(("Name", "Team Ost"), ("Id", "keine-guid")));
        Assert.Equal((HttpStatusCode)422, team.StatusCode);
        Assert.Equal(teams, await app.WithDb(db => db.Teams.CountAsync()));
    }

    [Fact]
    public async Task A_form_carrying_a_date_outside_1900_to_2100_is_refused_whole_also_in_a_field_the_action_does_not_use()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        using var web = await app.SignedInAs("im1@musterstadt.example");

        // The lifecycle form is shared: pausing does not use "ClosedOn", and before, the case was paused all the same.
        var pause = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/ruhen", Fields(("Version", "2"), ("Note", "Urlaub"), ("ClosedOn", "1899-12-31")));
        Assert.Equal((HttpStatusCode)422, pause.StatusCode);
        var details = (await ParseAsync(pause)).QuerySelectorAll(".error-details li").Select(li => li.TextContent).ToList();
        Assert.Contains("ClosedOn: Das Datum muss zwischen 01.01.1900 und 31.12.2100 liegen.", details);

        var goal = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/ziele", Fields(
            ("Version", "2"), ("Field", "Language"), ("Text", "Deutsch lernen"), ("AgreedOn", "2026-03-01"), ("TargetDate", "9999-12-31")));
        Assert.Equal((HttpStatusCode)422, goal.StatusCode);

        using var read = await api.GetAsync($"/api/v1/clients/{caseId}");
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
    }

    [Theory]
    [InlineData("/api/v1/data-protection/access-log?page=2147483647")]
    [InlineData("/datenschutz/zugriffsprotokoll?Page=2147483647")]
    [InlineData("/datenschutz/zugriffsprotokoll/export.csv?Page=2147483647")]
    public async Task Paging_to_the_largest_number_answers_without_a_5xx(string url)
    {
        using var client = url.StartsWith("/api", StringComparison.Ordinal)
            ? await app.ClientFor("dpo@musterstadt.example")
            : (await app.SignedInAs("dpo@musterstadt.example")).Client;
        using var response = await client.GetAsync(url);

        Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task An_empty_entry_in_a_form_list_is_refused_instead_of_being_dropped()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        using var web = await app.SignedInAs("im1@musterstadt.example");

        // "Goals=" made the model binder drop the whole list of goal assessments: the review was stored without them.
        var review = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/fortschreibung",
            Fields(("Version", "2"), ("Date", "2026-03-01"), ("Summary", "Gespräch"), ("Goals", "")));
        Assert.Equal((HttpStatusCode)422, review.StatusCode);
        var details = (await ParseAsync(review)).QuerySelectorAll(".error-details li").Select(li => li.TextContent).ToList();
        Assert.Contains("Goals: Die Liste enthält leere Einträge.", details);

        var consent = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/einwilligung",
            Fields(("Version", "2"), ("GivenOn", "2026-03-01"), ("Scopes", ""), ("Scopes", "Counselling"), ("FormVersion", "2026-01")));
        Assert.Equal((HttpStatusCode)422, consent.StatusCode);

        using var read = await api.GetAsync($"/api/v1/clients/{caseId}");
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
    }
}
