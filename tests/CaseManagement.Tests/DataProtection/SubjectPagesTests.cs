using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.DataProtection.RichCases;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.DataProtection;

/// <summary>The DPO's pages: search with a logged purpose, the subject page, export, restriction and the two-step erasure.</summary>
public sealed class SubjectPagesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<(Guid Id, string Number, string LastName)> NewCase(HttpClient manager)
    {
        var id = await CaseApi.NewCase(manager);
        var body = await Get(manager, $"/api/v1/clients/{id}");
        return (id, body.GetProperty("caseNumber").GetString()!, body.GetProperty("lastName").GetString()!);
    }

    [Fact]
    public async Task The_DPO_searches_by_name_and_birth_date_the_purpose_is_logged_but_not_the_search_words()
    {
        using var manager = await app.ClientFor(Manager);
        var (id, number, lastName) = await NewCase(manager);
        using var dpo = await app.SignedInAs(Dpo);

        var empty = await ParseAsync(await dpo.PostFormAsync("/datenschutz/betroffene", "/datenschutz/betroffene", Fields(("Query", " "), ("Purpose", "Auskunft"))));
        Assert.Equal(["Bitte Name, Geburtsdatum (TT.MM.JJJJ) oder Fallnummer eingeben (mindestens 2 Zeichen)."], empty.ErrorMessages());
        Assert.Equal("Name, Geburtsdatum oder Fallnummer", empty.QuerySelector("label[for=Query]")!.TextContent.Trim());

        var before = await app.WithDb(db => db.SubjectSearches.CountAsync());
        var result = await ParseAsync(await dpo.PostFormAsync("/datenschutz/betroffene", "/datenschutz/betroffene",
            Fields(("Query", $"{lastName.ToUpperInvariant()} 09.09.1990"), ("Purpose", "Auskunftsersuchen vom 02.11.2026"))));
        var rows = result.QuerySelectorAll("[data-testid=subjects] tbody tr");
        var row = Assert.Single(rows);
        Assert.Contains(number, row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/datenschutz/betroffene/{id}", row.QuerySelector("a")!.GetAttribute("href"));
        // The subject page opened from the results is a logged read with the purpose of the search.
        var page = await dpo.GetPageAsync($"/datenschutz/betroffene/{id}");
        Assert.Equal(number, page.QuerySelector("[data-testid=case-number]")!.TextContent.Trim());
        var read = await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == id && e.What == "Betroffenenseite").SingleAsync());
        Assert.Equal(("Web", "Auskunftsersuchen vom 02.11.2026", "DataProtectionOfficer"), (read.Channel, read.Purpose, read.Role));

        var none = await ParseAsync(await dpo.PostFormAsync("/datenschutz/betroffene", "/datenschutz/betroffene", Fields(("Query", $"{lastName} 01.01.1990"), ("Purpose", "Auskunft"))));
        Assert.NotNull(none.QuerySelector("[data-testid=no-subjects]"));

        var logged = await app.WithDb(db => db.SubjectSearches.OrderBy(s => s.Id).Skip(before).ToListAsync());
        Assert.Equal([("Auskunftsersuchen vom 02.11.2026", 1), ("Auskunft", 0)], logged.Select(s => (s.Purpose, s.Results)));

        // The API finds the same, by case number too.
        using var api = await app.ClientFor(Dpo);
        var found = await api.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/subjects?query={number}&purpose=Pr%C3%BCfung");
        Assert.Equal(id, Assert.Single(found.EnumerateArray().ToList()).GetProperty("clientId").GetGuid());
        using var missing = await api.GetAsync("/api/v1/data-protection/subjects?query=");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
    }

    [Fact]
    public async Task Lifting_a_restriction_goes_through_a_confirmation_that_can_be_cancelled()
    {
        using var manager = await app.ClientFor(Manager);
        var (id, number, lastName) = await NewCase(manager);
        using var dpo = await app.SignedInAs(Dpo);
        var subject = $"/datenschutz/betroffene/{id}";
        await dpo.FollowAsync(await dpo.PostFormAsync(subject, $"{subject}/einschraenkung", Fields(("RestrictionReason", "Richtigkeit bestritten"))));

        var confirm = await ParseAsync(await dpo.PostFormAsync(subject, $"{subject}/einschraenkung/aufheben", Fields(("LiftNote", "geklärt"))));
        Assert.StartsWith($"Die Einschränkung der Verarbeitung für Fall {number} ({lastName},", confirm.QuerySelector("[data-testid=confirm-summary]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Richtigkeit bestritten", confirm.QuerySelector("[data-testid=confirm-lift]")!.TextContent, StringComparison.Ordinal);

        var cancelled = await dpo.GetPageAsync(confirm.QuerySelector("[data-testid=confirm-cancel]")!.GetAttribute("href")!);
        Assert.NotNull(cancelled.QuerySelector("[data-testid=read-only]"));

        var confirmAction = $"{subject}/einschraenkung/aufheben/bestaetigen";
        var lifted = await dpo.FollowAsync(await dpo.SubmitAsync(confirm, confirmAction, FormFields(confirm, confirmAction)));
        Assert.Equal("Die Einschränkung ist aufgehoben.", lifted.QuerySelector(".notice[role=status]")!.TextContent);
        Assert.Null(lifted.QuerySelector("[data-testid=read-only]"));
    }

    [Fact]
    public async Task The_DPO_restricts_exports_and_erases_through_the_pages()
    {
        using var manager = await app.ClientFor(Manager);
        var (id, number, lastName) = await NewCase(manager);
        using var dpo = await app.SignedInAs(Dpo);
        var subject = $"/datenschutz/betroffene/{id}";

        var noReason = await ParseAsync(await dpo.PostFormAsync(subject, $"{subject}/einschraenkung", Fields(("RestrictionReason", ""))));
        Assert.Single(noReason.ErrorMessages(), m => m.StartsWith("Bitte den Grund der Einschränkung angeben", StringComparison.Ordinal));
        var restricted = await dpo.FollowAsync(await dpo.PostFormAsync(subject, $"{subject}/einschraenkung", Fields(("RestrictionReason", "Widerspruch nach Art. 21 wird geprüft"))));
        Assert.Contains("Widerspruch nach Art. 21 wird geprüft", restricted.QuerySelector("[data-testid=restriction]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(restricted.QuerySelector("[data-testid=read-only]"));

        using (var export = await dpo.PostFormAsync(subject, $"{subject}/export", Fields(("password", ""), ("ExportPurpose", "Auskunft"))))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Contains(lastName, ErasureTests.Unzip(await export.Content.ReadAsByteArrayAsync())["auskunft.html"], StringComparison.Ordinal);
        }

        var tooShort = await ParseAsync(await dpo.PostFormAsync(subject, $"{subject}/export", Fields(("password", "kurz"))));
        Assert.Contains("Das Passwort muss 8 bis 200 Zeichen lang sein (oder leer bleiben).", tooShort.ErrorMessages());

        // Erasure, first step: reason and legal basis; second step: the case number typed again.
        var incomplete = await ParseAsync(await dpo.PostFormAsync(subject, $"{subject}/loeschung", Fields(("ErasureReason", ""), ("LegalBasis", ""))));
        Assert.Equal(2, incomplete.ErrorMessages().Count);
        var confirm = await dpo.FollowAsync(await dpo.PostFormAsync(subject, $"{subject}/loeschung",
            Fields(("ErasureReason", "Antrag vom 27.11.2026"), ("LegalBasis", "Art. 17 Abs. 1 lit. b DSGVO"))));
        Assert.Equal("Löschung bestätigen", confirm.Heading());
        var confirmAction = confirm.QuerySelectorAll("form").Select(f => f.GetAttribute("action")!).Single(a => a.EndsWith("/bestaetigen", StringComparison.Ordinal));
        var confirmPage = confirmAction.Replace("/bestaetigen", "", StringComparison.Ordinal);
        Assert.Equal("Zur Bestätigung die Fallnummer eingeben", confirm.QuerySelector("label[for=confirm-number]")!.TextContent.Trim());

        var wrong = await ParseAsync(await dpo.PostFormAsync(confirmPage, confirmAction, Fields(("caseNumber", "2026-9999"))));
        Assert.Single(wrong.ErrorMessages(), m => m.StartsWith("Zur Bestätigung bitte die Fallnummer genau so eingeben", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/clients/{id}")).StatusCode);

        var done = await dpo.FollowAsync(await dpo.PostFormAsync(confirmPage, confirmAction, Fields(("caseNumber", number))));
        Assert.Equal("Löschungen", done.Heading());
        Assert.Contains($"Fall {number} ist gelöscht.", done.QuerySelector("[data-testid=message]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(done.QuerySelectorAll("[data-testid=erasures] tbody tr"), r => r.TextContent.Contains(number, StringComparison.Ordinal) && r.TextContent.Contains("gelöscht", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/clients/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dpo.GetAsync(subject)).StatusCode);
    }
}
