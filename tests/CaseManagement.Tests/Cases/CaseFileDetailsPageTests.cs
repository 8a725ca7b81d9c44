using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Cases;

/// <summary>The person, consent, household, profile and referral parts of the case page: forms, messages next to fields, access.</summary>
public sealed class CaseFileDetailsPageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Owner = "im1@musterstadt.example";

    private static string Version(IDocument page, string action) =>
        page.QuerySelector($"form[action='{action}'] input[name=Version]")!.GetAttribute("value")!;

    [Fact]
    public async Task The_intake_form_takes_contact_address_arrival_and_consent()
    {
        using var session = await app.SignedInAs(Owner);
        var created = await session.PostFormAsync("/faelle/neu", "/faelle/neu", Fields(
            ("FirstName", "Olena"), ("LastName", "Kowalenko"), ("BirthDate", "1979-09-09"), ("Gender", "Female"), ("Nationality", "ua"),
            ("Languages", "uk, ru"), ("InterpreterLanguage", "uk"), ("HousingType", "FollowUpAccommodation"), ("HousingSince", "2026-02-01"), ("ResidenceKind", "TemporaryProtection"),
            ("SupportStart", "2026-02-15"), ("ArrivedOn", "2022-04-02"), ("Phone", "0151 2345678"), ("Street", "Am Markt 1"), ("PostalCode", "70173"),
            ("City", "Musterstadt"), ("ConsentGivenOn", "2026-02-15"), ("ConsentScopes", "Counselling"), ("ConsentScopes", "ContactByPhoneOrEmail"),
            ("ConsentFormVersion", "2025-03")));
        var page = await session.FollowAsync(created);

        var person = page.QuerySelector("[data-testid=person]")!.TextContent;
        Assert.Contains("02.04.2022", person, StringComparison.Ordinal);
        Assert.Contains("0151 2345678", person, StringComparison.Ordinal);
        Assert.Contains("nötig (Ukrainisch)", person, StringComparison.Ordinal);
        Assert.Equal("Am Markt 1, 70173 Musterstadt", page.QuerySelector("[data-testid=address]")!.TextContent);
        Assert.Equal("Erteilt am 15.02.2026 (Formular 2025-03) für: Beratung und Integrationsplan; Kontakt per Telefon, E-Mail oder Messenger.",
            (await session.GetPageAsync(created.Headers.Location!.OriginalString + "/datenschutz")).QuerySelector("[data-testid=consent]")!.TextContent);
    }

    [Fact]
    public async Task Without_consent_the_case_says_so_and_the_consent_form_records_it()
    {
        using var api = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs(Owner);
        var page = await session.GetPageAsync($"/faelle/{id}/datenschutz");
        Assert.StartsWith("Es ist keine Einwilligung in die Datenverarbeitung erfasst.", page.QuerySelector("[data-testid=consent]")!.TextContent, StringComparison.Ordinal);

        var incomplete = await session.SubmitAsync(page, $"/faelle/{id}/einwilligung", Fields(("Version", Version(page, $"/faelle/{id}/einwilligung")), ("GivenOn", "2026-03-01")));
        Assert.Equal(HttpStatusCode.OK, incomplete.StatusCode);
        var shown = await ParseAsync(incomplete);
        var form = shown.QuerySelector($"form[action='/faelle/{id}/einwilligung']")!;
        Assert.Contains("Bitte angeben, wofür die Einwilligung gilt.", form.QuerySelectorAll(".field-error").Select(e => e.TextContent));
        Assert.Equal("2026-03-01", form.QuerySelector<IHtmlInputElement>("#consent-date")!.Value);
        Assert.NotNull(shown.QuerySelector("details[open] form[action$='/einwilligung']"));

        var saved = await session.SubmitAsync(shown, $"/faelle/{id}/einwilligung", Fields(
            ("Version", Version(shown, $"/faelle/{id}/einwilligung")), ("GivenOn", "2026-03-01"), ("Scopes", "Counselling"), ("FormVersion", "2026-01")));
        var updated = await session.FollowAsync(saved);
        Assert.Equal("Erteilt am 01.03.2026 (Formular 2026-01) für: Beratung und Integrationsplan.", updated.QuerySelector("[data-testid=consent]")!.TextContent);
    }

    [Fact]
    public async Task A_wrong_postal_code_is_shown_next_to_the_field_with_the_input_kept_and_nothing_saved()
    {
        using var api = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs(Owner);
        var page = await session.GetPageAsync($"/faelle/{id}");

        var response = await session.SubmitAsync(page, $"/faelle/{id}/kontakt", Fields(
            ("Version", Version(page, $"/faelle/{id}/kontakt")), ("Street", "Hauptstraße 7"), ("PostalCode", "123"), ("City", "Musterstadt")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = await ParseAsync(response);
        var zip = shown.QuerySelector<IHtmlInputElement>("#contact-zip")!;
        Assert.Equal("123", zip.Value);
        Assert.Equal("Die Postleitzahl hat fünf Ziffern.", zip.ParentElement!.QuerySelector(".field-error")!.TextContent);
        Assert.Equal("Hauptstraße 7", shown.QuerySelector<IHtmlInputElement>("#contact-street")!.Value);
        Assert.Equal("–", shown.QuerySelector("[data-testid=address]")!.TextContent);

        var saved = await session.SubmitAsync(shown, $"/faelle/{id}/kontakt", Fields(
            ("Version", Version(shown, $"/faelle/{id}/kontakt")), ("Street", "Hauptstraße 7"), ("PostalCode", "12345"), ("City", "Musterstadt")));
        var updated = await session.FollowAsync(saved);
        Assert.Equal("Hauptstraße 7, 12345 Musterstadt", updated.QuerySelector("[data-testid=address]")!.TextContent);
        Assert.Equal("12345", updated.QuerySelector<IHtmlInputElement>("#contact-zip")!.Value);
    }

    [Fact]
    public async Task Profile_language_level_development_referral_and_household_are_entered_on_the_case_page()
    {
        using var api = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(api);
        var sibling = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs(Owner);
        var siblingNumber = (await session.GetPageAsync($"/faelle/{sibling}")).QuerySelector("[data-testid=case-number]")!.TextContent;

        async Task<IDocument> Submit(string action, params (string Name, string Value)[] fields)
        {
            var page = await session.GetPageAsync(action.Contains("/haushalt", StringComparison.Ordinal) ? $"/faelle/{id}" : $"/faelle/{id}/plan");
            var response = await session.SubmitAsync(page, action, Fields([("Version", Version(page, action)), .. fields]));
            await AssertRedirectAsync(response);
            return await session.FollowAsync(response);
        }

        var shown = await Submit($"/faelle/{id}/profil", ("Qualifications", "Krankenpflegehelferin"), ("SchoolYears", "12"), ("SchoolCertificate", "Abitur"), ("SchoolCountry", "IR"));
        Assert.Contains("12 Jahre, Abitur, Iran", shown.QuerySelector("[data-testid=profile]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Krankenpflegehelferin", shown.QuerySelector("#profile-qualifications")!.TextContent);

        shown = await Submit($"/faelle/{id}/sprachniveau", ("Language", "de"), ("Level", "B1"), ("Basis", "Certificate"), ("Certificate", "DTZ B1"), ("AssessedOn", "2026-06-30"));
        var row = shown.QuerySelectorAll("[data-testid=language-levels] tbody td").Select(td => td.TextContent).ToList();
        Assert.Equal(["Deutsch", "B1", "Zertifikat (DTZ B1)", "30.06.2026"], row);

        shown = await Submit($"/faelle/{id}/entwicklungen", ("Date", "2026-07-01"), ("Text", "Führerschein bestanden"));
        Assert.Equal("01.07.2026: Führerschein bestanden", shown.QuerySelector("[data-testid=developments] li")!.TextContent);

        shown = await Submit($"/faelle/{id}/vermittlungen", ("Service", "Jobcenter"), ("Date", "2026-07-02"), ("Note", "Beratungstermin"));
        Assert.Equal(["02.07.2026", "Jobcenter", "–", "Beratungstermin"], shown.QuerySelectorAll("[data-testid=referrals] tbody td").Select(td => td.TextContent));

        shown = await Submit($"/faelle/{id}/haushalt", ("MemberCaseNumber", siblingNumber), ("Relation", "Sibling"));
        var link = shown.QuerySelector("[data-testid=household] a")!;
        Assert.Equal(($"/faelle/{sibling}", $"Fall {siblingNumber}"), (link.GetAttribute("href"), link.TextContent));

        var unlink = await session.SubmitAsync(shown, $"/faelle/{id}/haushalt/{sibling}/loesen", Fields(("version", shown.QuerySelector($"form[action='/faelle/{id}/haushalt/{sibling}/loesen'] input[name=version]")!.GetAttribute("value")!)));
        var after = await session.FollowAsync(unlink);
        Assert.Null(after.QuerySelector("[data-testid=household]"));
        Assert.Null((await session.GetPageAsync($"/faelle/{sibling}")).QuerySelector("[data-testid=household]"));
    }

    [Theory]
    [InlineData("im2@musterstadt.example")]
    [InlineData("im1@beispiel.example")]
    public async Task Other_managers_cannot_post_to_the_new_forms(string email)
    {
        using var api = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(api);
        using var other = await app.SignedInAs(email);

        foreach (var action in new[] { "kontakt", "einwilligung", "haushalt", "profil", "sprachniveau", "entwicklungen", "vermittlungen" })
        {
            var response = await other.PostCraftedAsync("/faelle/neu", $"/faelle/{id}/{action}", Fields(("Version", "2"), ("Text", "x"), ("Phone", "0711 1")));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(2, (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(api, $"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_print_view_and_the_PDF_download_of_the_case_page_carry_the_profile_part()
    {
        using var api = await app.ClientFor(Owner);
        var id = await CaseApi.NewCase(api);
        await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/profile", new { vocationalDegree = "Schneiderin", schoolYears = 9 }, 2);
        await CaseApi.PostVersioned(api, $"/api/v1/clients/{id}/language-levels", new { language = "de", level = "A2", basis = "Estimate", assessedOn = "2026-06-01" }, 3);
        using var session = await app.SignedInAs(Owner);

        var print = await session.GetPageAsync($"/faelle/{id}/druck");
        var rows = print.QuerySelectorAll("[data-testid=print-profile] tr").Select(r => r.TextContent).ToList();
        Assert.Equal(["Sprachkenntnissede A2 (Einschätzung)", "Schulbesuch9 Jahre", "BerufsabschlussSchneiderin"], rows);

        using var pdf = await session.GetAsync($"/faelle/{id}/plan.pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("Integrationsplan-", pdf.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
        Assert.Equal("%PDF-"u8.ToArray(), (await pdf.Content.ReadAsByteArrayAsync())[..5]);

        using var colleague = await app.SignedInAs("im2@musterstadt.example");
        using var foreign = await colleague.GetAsync($"/faelle/{id}/plan.pdf");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
