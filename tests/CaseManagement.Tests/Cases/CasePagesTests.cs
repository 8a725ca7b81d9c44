using AngleSharp.Dom;
using System.Net;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Cases;

public sealed class CasePagesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static IEnumerable<KeyValuePair<string, string>> Intake(string first, string last, string birth = "1991-02-03", string residence = "RefugeeProtection") => Fields(
        ("FirstName", first), ("LastName", last), ("BirthDate", birth), ("Gender", "Male"), ("Nationality", "er"),
        ("Languages", "ti, ar"), ("InterpreterLanguage", "ti"), ("HousingType", "FollowUpAccommodation"), ("HousingSince", "2026-07-01"),
        ("ResidenceKind", residence), ("ResidenceValidUntil", "2029-07-01"), ("SupportStart", "2026-09-01"));

    [Fact]
    public async Task A_manager_takes_in_a_client_and_lands_on_the_case_page_with_the_verdict()
    {
        using var session = await app.SignedInAs("im1@musterstadt.example");

        var created = await session.PostFormAsync("/faelle/neu", "/faelle/neu", Intake("Yonas", "Tesfay"));
        var page = await session.FollowAsync(created);

        Assert.Equal("Yonas Tesfay", page.Heading());
        Assert.Equal("Der Fall ist angelegt.", page.QuerySelector("p.notice[role=status]")?.TextContent);
        Assert.Null((await session.GetPageAsync(page.Url)).QuerySelector("p.notice[role=status]")); // shown once
        Assert.Equal("Zielgruppe", page.QuerySelector("[data-testid=verdict]")!.TextContent);
        Assert.Contains(page.QuerySelectorAll(".eligibility li"), li => li.TextContent == "Flüchtlingsschutz (§ 3 AsylG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).");
        Assert.Contains("01.09.2026 – 31.08.2029", page.QuerySelector("#support-title")!.ParentElement!.TextContent, StringComparison.Ordinal);
        var caseNumber = page.QuerySelector("[data-testid=case-number]")!.TextContent;

        var list = await session.GetPageAsync("/faelle?search=tesf");
        var row = Assert.Single(list.QuerySelectorAll("tbody.case-group > tr:first-child"));
        Assert.Equal(caseNumber, row.QuerySelector("td")!.TextContent);
        Assert.Equal("Tesfay, Yonas", row.QuerySelector("a")!.TextContent);
    }

    [Fact]
    public async Task Counts_use_German_plural_forms()
    {
        using var session = await app.SignedInAs("im1@musterstadt.example");
        using var client = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(client, supportStart: "2026-02-01");
        var (status, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/consultations", new { date = "2026-02-02", durationMinutes = 30, mode = "Office" }, 2);
        Assert.Equal(HttpStatusCode.OK, status);

        var page = await session.GetPageAsync($"/faelle/{id}/beratungen");

        Assert.Contains(page.QuerySelectorAll("caption"), c => c.TextContent.StartsWith("1 Kontakt, zuletzt am", StringComparison.Ordinal));
        Assert.DoesNotContain(page.QuerySelectorAll("caption"), c => c.TextContent.StartsWith("1 Kontakte", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_intake_input_shows_German_messages_and_creates_nothing()
    {
        using var session = await app.SignedInAs("im2@musterstadt.example");
        var before = (await session.GetPageAsync("/faelle")).QuerySelectorAll("tbody.case-group > tr:first-child").Length;

        var response = await session.PostFormAsync("/faelle/neu", "/faelle/neu", Fields(
            ("FirstName", ""), ("LastName", "Unvollständig"), ("BirthDate", "2099-01-01"), ("SupportStart", "2026-09-01")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = await ParseAsync(response);
        Assert.Contains("Bitte den Vornamen angeben.", form.ErrorMessages());
        Assert.Contains("Bitte die Wohnform angeben.", form.ErrorMessages());
        Assert.Equal("Bitte den Vornamen angeben.", form.QuerySelector("[data-valmsg-for=FirstName]")!.TextContent);
        var link = form.QuerySelectorAll(".error-summary a").Single(a => a.TextContent == "Bitte den Vornamen angeben.");
        Assert.Equal("#FirstName", link.GetAttribute("href"));
        Assert.All(form.QuerySelectorAll(".error-summary a"), a => Assert.NotNull(form.GetElementById(a.GetAttribute("href")![1..])));
        Assert.Equal("Unvollständig", form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#LastName")!.Value);
        Assert.Equal(before, (await session.GetPageAsync("/faelle")).QuerySelectorAll("tbody.case-group > tr:first-child").Length);
    }

    [Fact]
    public async Task A_probable_duplicate_asks_for_confirmation_in_the_form()
    {
        using var session = await app.SignedInAs("im3@musterstadt.example");
        await AssertRedirectAsync(await session.PostFormAsync("/faelle/neu", "/faelle/neu", Intake("Doppel", "Gänger", "1980-01-01")));

        var warned = await ParseAsync(await session.PostFormAsync("/faelle/neu", "/faelle/neu", Intake("Doppel", "Gänger", "1980-01-01")));
        Assert.Contains(warned.ErrorMessages(), m => m.StartsWith("Möglicherweise gibt es diese Person schon", StringComparison.Ordinal));
        Assert.NotNull(warned.QuerySelector("input#ConfirmPossibleDuplicate"));

        var confirmed = await session.SubmitAsync(warned, "/faelle/neu", Intake("Doppel", "Gänger", "1980-01-01").Append(new("ConfirmPossibleDuplicate", "true")));
        await AssertRedirectAsync(confirmed);
    }

    [Fact]
    public async Task Another_manager_does_not_find_the_case_and_other_roles_are_denied()
    {
        using var owner = await app.SignedInAs("im1@musterstadt.example");
        var created = await owner.PostFormAsync("/faelle/neu", "/faelle/neu", Intake("Nur", "Meiner", "1975-05-05"));
        var url = created.Headers.Location!.OriginalString;

        using var colleague = await app.SignedInAs("im2@musterstadt.example");
        using (var response = await colleague.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var otherOrganisation = await app.SignedInAs("im1@beispiel.example");
        using (var response = await otherOrganisation.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        foreach (var email in new[] { "dpo@musterstadt.example", "admin@musterstadt.example" })
        {
            using var other = await app.SignedInAs(email);
            using var response = await other.GetAsync(url);
            Assert.StartsWith("http://localhost/konto/kein-zugriff", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }
}
