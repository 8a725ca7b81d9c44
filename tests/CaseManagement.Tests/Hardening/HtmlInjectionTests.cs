using System.Net;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Hardening;

/// <summary>User text is shown as text, never as markup; confirmations cannot be forged through the URL.</summary>
public sealed class HtmlInjectionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Markup = "<a id=\"injected\" href=\"https://evil.example/\">Jobcenter</a>";

    [Fact]
    public async Task A_step_service_and_a_goal_text_with_markup_are_shown_as_text_on_the_case_page()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        var (status, goal) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals", new
        {
            field = "LabourMarket", text = "Ziel " + Markup, agreedOn = "2026-03-01", targetDate = "2027-03-01",
        }, 2);
        Assert.Equal(HttpStatusCode.Created, status);
        var goalId = goal.GetProperty("goalId").GetGuid();
        (status, _) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals/{goalId}/steps", new
        {
            text = "Termin " + Markup, responsible = "OtherService", service = Markup,
        }, goal.GetProperty("version").GetInt64());
        Assert.Equal(HttpStatusCode.OK, status);

        using var web = await app.SignedInAs("im1@musterstadt.example");
        using var response = await web.GetAsync($"/faelle/{caseId}/plan");
        var html = await response.Content.ReadAsStringAsync();
        var page = await WebSession.ParseAsync(response);

        Assert.Null(page.QuerySelector("#injected"));
        Assert.DoesNotContain("<a id=\"injected\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;a id=", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("im1@musterstadt.example", "/erinnerungen")]
    [InlineData("im1@musterstadt.example", "/konto/sicherheit")]
    [InlineData("lead@musterstadt.example", "/team")]
    [InlineData("lead@musterstadt.example", "/freigaben")]
    [InlineData("admin@musterstadt.example", "/verwaltung/teams")]
    [InlineData("admin@musterstadt.example", "/verwaltung/benutzer")]
    [InlineData("admin@musterstadt.example", "/verwaltung/erinnerungen")]
    [InlineData("dpo@musterstadt.example", "/datenschutz/loeschungen")]
    [InlineData("dpo@musterstadt.example", "/datenschutz/aufbewahrung")]
    public async Task A_message_in_the_query_string_is_not_shown(string email, string page)
    {
        using var web = await app.SignedInAs(email);
        var forged = "Bitte hier neu anmelden " + Markup;
        var document = await web.GetPageAsync(page + "?message=" + Uri.EscapeDataString(forged));

        Assert.DoesNotContain("Bitte hier neu anmelden", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(document.QuerySelector("#injected"));
    }

    [Fact]
    public async Task A_message_in_the_query_string_of_the_case_page_is_not_shown_but_a_real_confirmation_is()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var caseId = await CaseApi.NewCase(api);
        using var web = await app.SignedInAs("im1@musterstadt.example");

        var forged = await web.GetPageAsync($"/faelle/{caseId}?message=" + Uri.EscapeDataString("Gefälscht " + Markup));
        Assert.DoesNotContain("Gefälscht", forged.Body!.TextContent, StringComparison.Ordinal);

        // A real save still confirms, once, on the page the user comes back to.
        var response = await web.SubmitAsync(forged, $"/faelle/{caseId}/ruhen", WebSession.Fields(("Version", "2"), ("Note", "Urlaub")));
        var location = response.Headers.Location?.ToString() ?? "";
        Assert.DoesNotContain("message", location, StringComparison.OrdinalIgnoreCase);
        var after = await web.FollowAsync(response);
        Assert.Contains("ruht", after.QuerySelector("[role=status]")?.TextContent ?? "", StringComparison.Ordinal);
        var again = await web.GetPageAsync($"/faelle/{caseId}");
        Assert.Null(again.QuerySelector("p.notice[role=status]"));
    }
}
