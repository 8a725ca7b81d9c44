using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.LocalOffers;
using CaseManagement.Tests.Infrastructure;
using CaseManagement.Tests.Plans;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.LocalOffers;

/// <summary>
/// Angebote vor Ort (issue 20, item 4): the directory and who keeps it, the Integreat import from a recorded answer on a
/// local stand-in, referrals to an offer and the client's next steps on the print; and the leftovers of item 1 — the goal's
/// client-language summary and the organisation's own wording of a printed text.
/// </summary>
public sealed class LocalOfferTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Directory = "/verwaltung/angebote";
    private const string Admin = "admin@musterstadt.example";
    private const string Manager = "im1@musterstadt.example";

    private static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];

    private static IEnumerable<KeyValuePair<string, string>> Offer(string name, string category = "MigrationCounselling", string languages = "ar, EN") =>
        Fields(("Category", category), ("Name", name), ("Address", "Marktplatz 1, 70000 Musterstadt"), ("OpeningHours", "Di 9–12 Uhr"),
            ("Contact", "0700 555"), ("Languages", languages));

    private Task<List<LocalOffer>> Offers(string organisationAdmin) =>
        app.WithDb(async db =>
        {
            var organisation = await db.Users.Where(u => u.Email == organisationAdmin).Select(u => u.OrganisationId).SingleAsync();
            return await db.Set<LocalOffer>().AsNoTracking().Include(o => o.Names).Where(o => o.OrganisationId == organisation).OrderBy(o => o.Id).ToListAsync();
        });

    private static string Snapshot(IEnumerable<LocalOffer> offers) =>
        string.Join("\n", offers.Select(o => $"{o.Id} {o.Source} {o.Name} {o.Address} {o.OpeningHours} {o.RefreshedAt:O} {string.Join(",", o.Names.OrderBy(n => n.Language).Select(n => n.Language + "=" + n.Name))}"));

    private static async Task Connect(WebSession admin, IntegreatTestServer server)
    {
        var connected = await admin.FollowAsync(await admin.PostFormAsync(Directory, Directory + "/integreat",
            Fields(("Region", IntegreatTestServer.Region), ("BaseUrl", server.BaseUrl))));
        Assert.Equal("Die Verbindung zu Integreat ist gespeichert.", connected.QuerySelector(".notice[role=status]")?.TextContent);
    }

    private static async Task<HttpResponseMessage> Refresh(WebSession admin) =>
        await admin.PostFormAsync(Directory, Directory + "/integreat/aktualisieren", []);

    [Fact]
    public async Task Administrators_keep_the_directory_and_a_refused_entry_stores_nothing()
    {
        var name = Unique("Migrationsberatung");
        using var admin = await app.SignedInAs(Admin);
        var created = await admin.FollowAsync(await admin.PostFormAsync(Directory, Directory, Offer(name)));
        Assert.Equal("Das Angebot ist im Verzeichnis.", created.QuerySelector(".notice[role=status]")?.TextContent);
        var offer = Assert.Single(await Offers(Admin), o => o.Name == name);
        Assert.Equal(("ar,en", (string?)null, OfferCategory.MigrationCounselling), (offer.Languages, offer.Source, offer.Category));
        Assert.Contains(created.QuerySelectorAll("[data-testid=offer]"), li => li.TextContent.Contains(name, StringComparison.Ordinal) && li.TextContent.Contains("Migrationsberatung", StringComparison.Ordinal));

        // Out of range: a name of one letter, no kind, a language that is no code, a 301-character address; an undefined kind.
        var before = Snapshot(await Offers(Admin));
        using var undefined = await admin.PostFormAsync(Directory, Directory, Offer(Unique("Casino"), category: "Casino"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, undefined.StatusCode);
        using var refused = await admin.PostFormAsync(Directory, Directory,
            Fields(("Category", ""), ("Name", "X"), ("Address", new string('a', 301)), ("Languages", "arabisch")));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await ParseAsync(refused);
        var errors = page.QuerySelectorAll("section .field-error").Select(e => e.TextContent).Where(t => t.Length > 0).ToList();
        Assert.Contains(LocalOfferDirectory.CategoryRule, errors);
        Assert.Contains(LocalOfferDirectory.NameRule, errors);
        Assert.Contains(LocalOfferDirectory.LanguagesRule, errors);
        Assert.Contains("Bitte die Anschrift mit höchstens 300 Zeichen angeben.", errors);
        Assert.Equal(before, Snapshot(await Offers(Admin)));

        // Another organisation neither sees nor changes nor deletes it; a case worker may not keep the directory.
        using var otherAdmin = await app.SignedInAs("admin@beispiel.example");
        Assert.DoesNotContain(name, (await otherAdmin.GetPageAsync(Directory)).Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostCraftedAsync(Directory, $"{Directory}/{offer.Id}", Offer("Übernommen"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostCraftedAsync(Directory, $"{Directory}/{offer.Id}/loeschen", [])).StatusCode);
        using var manager = await app.SignedInAs(Manager);
        using var managerPost = await manager.PostCraftedAsync("/", $"{Directory}/{offer.Id}/loeschen", []);
        Assert.StartsWith("http://localhost/konto/kein-zugriff", managerPost.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(await Offers(Admin)));

        // The administrator changes it, then deletes it after the question.
        var changed = await admin.FollowAsync(await admin.PostFormAsync(Directory, $"{Directory}/{offer.Id}", Offer(name + " Mitte", "Jobcenter", "")));
        Assert.Equal("Das Angebot ist gespeichert.", changed.QuerySelector(".notice[role=status]")?.TextContent);
        var stored = Assert.Single(await Offers(Admin), o => o.Id == offer.Id);
        Assert.Equal((name + " Mitte", OfferCategory.Jobcenter, (string?)null), (stored.Name, stored.Category, stored.Languages));
        Assert.Contains(changed.QuerySelectorAll("form"), f => f.GetAttribute("action") == $"{Directory}/{offer.Id}/loeschen" && f.TextContent.Contains("wirklich", StringComparison.Ordinal));
        var deleted = await admin.FollowAsync(await admin.PostFormAsync(Directory, $"{Directory}/{offer.Id}/loeschen", []));
        Assert.Equal("Das Angebot ist gelöscht.", deleted.QuerySelector(".notice[role=status]")?.TextContent);
        Assert.DoesNotContain(await Offers(Admin), o => o.Id == offer.Id);
    }

    [Fact]
    public async Task The_api_lists_the_own_organisations_offers_and_only_administrators_change_them()
    {
        var name = Unique("Sprachcafé");
        using var admin = await app.ClientFor(Admin);
        using var created = await admin.PostAsJsonAsync("/api/v1/offers", new { category = "Volunteers", name, languages = new[] { "uk", "ru" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var manager = await app.ClientFor(Manager);
        var listed = await manager.GetFromJsonAsync<JsonElement>("/api/v1/offers");
        var offer = Assert.Single(listed.EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        Assert.Equal(["uk", "ru"], offer.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("Volunteers", offer.GetProperty("category").GetString());

        using var otherManager = await app.ClientFor("im1@beispiel.example");
        Assert.DoesNotContain((await otherManager.GetFromJsonAsync<JsonElement>("/api/v1/offers")).EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        using var otherAdmin = await app.ClientFor("admin@beispiel.example");
        using (var crossPut = await otherAdmin.PutAsJsonAsync($"/api/v1/offers/{id}", new { category = "Other", name = "Übernommen" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, crossPut.StatusCode);
        }

        using (var crossDelete = await otherAdmin.DeleteAsync($"/api/v1/offers/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, crossDelete.StatusCode);
        }

        using (var managerPost = await manager.PostAsJsonAsync("/api/v1/offers", new { category = "Other", name = "Eigenes" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, managerPost.StatusCode);
        }

        using (var dpo = await app.ClientFor("dpo@musterstadt.example"))
        using (var dpoList = await dpo.GetAsync("/api/v1/offers"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, dpoList.StatusCode);
        }

        using var invalid = await admin.PutAsJsonAsync($"/api/v1/offers/{id}", new { category = "Other", name = "Sprachcafé\0", languages = new[] { "Arabisch" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Equal(name, Assert.Single(await Offers(Admin), o => o.Id == id).Name);

        using var removed = await admin.DeleteAsync($"/api/v1/offers/{id}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.DoesNotContain(await Offers(Admin), o => o.Id == id);
    }

    [Fact]
    public async Task Integreat_fills_the_directory_in_german_and_arabic_keeps_own_entries_and_refreshes_in_place()
    {
        using var server = new IntegreatTestServer();
        using var admin = await app.SignedInAs(Admin);
        var own = Unique("Eigene Beratung");
        await admin.FollowAsync(await admin.PostFormAsync(Directory, Directory, Offer(own)));
        await Connect(admin, server);

        var shown = await admin.FollowAsync(await Refresh(admin));
        Assert.Equal("2 Orte aus Integreat übernommen (Sprachen: de, ar).", shown.QuerySelector(".notice[role=status]")?.TextContent);
        var offers = await Offers(Admin);
        var jobcenter = Assert.Single(offers, o => o.ExternalId == "11");
        Assert.Equal(("Jobcenter Teststadt", OfferCategory.Jobcenter, "integreat"), (jobcenter.Name, jobcenter.Category, jobcenter.Source));
        Assert.Equal("Bahnhofstraße 1, 70001 Teststadt", jobcenter.Address);
        Assert.Equal("Mo 08:00–12:00; Di 08:00–12:00, 13:00–16:00; Do 13:00–18:00 (nur mit Termin); Fr 08:00–12:00", jobcenter.OpeningHours);
        Assert.Equal("07000 1234 · teststadt@jobcenter.example · https://jobcenter.example", jobcenter.Contact);
        Assert.Equal("مركز العمل في تيستشتات", Assert.Single(jobcenter.Names, n => n.Language == "ar").Name);
        Assert.NotNull(jobcenter.RefreshedAt);
        var vhs = Assert.Single(offers, o => o.ExternalId == "12");
        Assert.Equal(OfferCategory.IntegrationCourse, vhs.Category);
        Assert.Empty(vhs.Names);
        Assert.Single(offers, o => o.Name == own && o.Source == null);
        Assert.Contains(shown.QuerySelectorAll("[data-testid=offer-source]"), s => s.TextContent.Contains("aus Integreat", StringComparison.Ordinal));

        // Only GETs of the fixed paths, for German and the client languages the region offers (not Italian); nothing of ours sent.
        Assert.Equal(
            ["GET /api/v3/testregion/languages/", "GET /api/v3/testregion/de/locations/", "GET /api/v3/testregion/ar/locations/"],
            server.Requests);

        // The region drops a place: the refresh removes it, keeps the other under its id and our own entry.
        server.Answer = path => IntegreatTestServer.Recorded(path, withSecondPlace: false);
        await admin.FollowAsync(await Refresh(admin));
        var after = await Offers(Admin);
        Assert.Equal(jobcenter.Id, Assert.Single(after, o => o.Source == "integreat").Id);
        Assert.Single(after, o => o.Name == own);
    }

    public static TheoryData<string, string> BrokenAnswers() => new()
    {
        { "html", "keine JSON-Antwort" },
        { "object", "statt einer Liste der Sprachen" },
        { "no-title", "keine Nummer oder keinen Namen" },
        { "invalid", "kein gültiges JSON" },
        { "500", "Fehler 500" },
        { "slow", "nicht innerhalb von 2 Sekunden" },
        { "oversize", "größer als 5 MB" },
    };

    [Theory]
    [MemberData(nameof(BrokenAnswers))]
    public async Task A_broken_integreat_answer_leaves_the_directory_unchanged_and_says_why(string kind, string why)
    {
        using var server = new IntegreatTestServer();
        using var admin = await app.SignedInAs(Admin);
        await Connect(admin, server);
        await admin.FollowAsync(await Refresh(admin));
        var before = Snapshot(await Offers(Admin));
        Assert.Contains("integreat", before, StringComparison.Ordinal);

        server.Answer = path => kind switch
        {
            "html" => (200, "text/html", Encoding.UTF8.GetBytes("<html><body>Wartungsarbeiten</body></html>"), TimeSpan.Zero),
            "object" => IntegreatTestServer.Json("{\"error\": \"region not found\"}"),
            "no-title" when path.EndsWith("/de/locations/", StringComparison.Ordinal) => IntegreatTestServer.Json("[{\"id\": 1, \"location\": {\"id\": 11}}]"),
            "invalid" when path.EndsWith("/ar/locations/", StringComparison.Ordinal) => IntegreatTestServer.Json("[{\"id\": 601, \"title\": "),
            "500" when path.EndsWith("/ar/locations/", StringComparison.Ordinal) => (500, "text/html", Encoding.UTF8.GetBytes("Internal Server Error"), TimeSpan.Zero),
            "slow" when path.EndsWith("/de/locations/", StringComparison.Ordinal) => (200, "application/json", "[]"u8.ToArray(), TimeSpan.FromSeconds(4)),
            "oversize" when path.EndsWith("/de/locations/", StringComparison.Ordinal) => (200, "application/json", Encoding.UTF8.GetBytes("[" + new string(' ', 6 * 1024 * 1024) + "]"), TimeSpan.Zero),
            _ => IntegreatTestServer.Recorded(path, withSecondPlace: false),
        };

        using var refused = await Refresh(admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = await ParseAsync(refused);
        var message = page.QuerySelector("[data-testid=integreat-refused]")?.TextContent ?? "";
        Assert.StartsWith("Das Verzeichnis ist unverändert: ", message, StringComparison.Ordinal);
        Assert.Contains(why, message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(await Offers(Admin)));
        Assert.Contains(why, (await admin.GetPageAsync(Directory)).QuerySelector("[data-testid=integreat-last]")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_referral_to_an_offer_puts_the_place_on_the_print_in_the_clients_language()
    {
        using var server = new IntegreatTestServer();
        using (var admin = await app.SignedInAs(Admin))
        {
            await Connect(admin, server);
            await admin.FollowAsync(await Refresh(admin));
        }

        var jobcenter = Assert.Single(await Offers(Admin), o => o.ExternalId == "11");
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var (goalStatus, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "LabourMarket", text = "Arbeitssuche mit dem Jobcenter", agreedOn = "2026-11-02", targetDate = "2027-06-30" }, 2);
        Assert.Equal(HttpStatusCode.Created, goalStatus);

        // Another organisation's offer is not there for this case.
        using (var otherAdmin = await app.ClientFor("admin@beispiel.example"))
        using (var foreign = await otherAdmin.PostAsJsonAsync("/api/v1/offers", new { category = "Jobcenter", name = "Jobcenter Beispielstadt" }))
        {
            var foreignId = (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var (status, problem) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/referrals", new { offerId = foreignId, date = "2026-12-01" }, 3);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
            Assert.Contains("offerId", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }

        // The offer alone is enough: service and name of the place come from it.
        var (referred, body) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/referrals", new { offerId = jobcenter.Id, date = "2026-12-01" }, 3);
        Assert.True(referred == HttpStatusCode.OK, body.ToString());
        var referral = Assert.Single(body.GetProperty("referrals").EnumerateArray());
        Assert.Equal(("Jobcenter", "Jobcenter Teststadt"), (referral.GetProperty("service").GetString(), referral.GetProperty("serviceName").GetString()));

        using var manager = await app.SignedInAs(Manager);
        var print = await manager.GetPageAsync($"/faelle/{id}/druck?language=ar");
        var steps = print.QuerySelector("[data-testid=print-next-steps]")!;
        Assert.Contains("Jobcenter Teststadt, Bahnhofstraße 1, 70001 Teststadt. Öffnungszeiten: Mo 08:00–12:00", steps.QuerySelector("[data-testid=print-place]")!.TextContent, StringComparison.Ordinal);
        var arabic = steps.QuerySelector("[data-testid=print-place-client]")!;
        Assert.Equal(("مركز العمل في تيستشتات", "ar", "rtl"), (arabic.TextContent, arabic.GetAttribute("lang"), arabic.GetAttribute("dir")));
        Assert.Contains("خطواتك التالية", print.Body!.TextContent, StringComparison.Ordinal);

        using var pdf = await client.GetAsync($"/api/v1/clients/{id}/plan.pdf?language=ar");
        using var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        var text = string.Concat(document.GetPages().Select(PdfText.Of));
        Assert.Contains("Bahnhofstraße 1", text, StringComparison.Ordinal);
        Assert.Contains("Öffnungszeiten", text, StringComparison.Ordinal);
        Assert.Contains(PdfText.Normalised("مركز العمل في تيستشتات"), text, StringComparison.Ordinal);
        Assert.Contains(PdfText.Normalised("خطواتك التالية"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_goal_summary_in_the_clients_language_stands_beside_the_goal_on_the_print()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        var (tooLong, problem) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Housing", text = "Wohnung finden", agreedOn = "2026-11-02", targetDate = "2027-06-30", clientSummary = new string('ب', 301) }, 2);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong);
        Assert.Contains("clientSummary", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var (agreed, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Housing", text = "Wohnung finden", agreedOn = "2026-11-02", targetDate = "2027-06-30", clientSummary = "البحث عن شقة" }, 2);
        Assert.Equal(HttpStatusCode.Created, agreed);

        using var manager = await app.SignedInAs(Manager);
        var summary = (await manager.GetPageAsync($"/faelle/{id}/druck?language=ar")).QuerySelector("[data-testid=print-goal-summary]")!;
        Assert.Equal(("البحث عن شقة", "rtl"), (summary.TextContent, summary.GetAttribute("dir")));
        Assert.Null((await manager.GetPageAsync($"/faelle/{id}/druck?language=de")).QuerySelector("[data-testid=print-goal-summary]"));

        using var pdf = await client.GetAsync($"/api/v1/clients/{id}/plan.pdf?language=ar");
        using var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains(PdfText.Normalised("البحث عن شقة"), PdfText.Of(document.GetPage(1)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_organisations_own_wording_appears_on_its_print_only_and_the_review_marker_stays()
    {
        const string Wording = "خطة مدينتنا";
        using var admin = await app.SignedInAs(Admin);
        var texts = await admin.GetPageAsync("/verwaltung/plan-texte?sprache=ar");
        Assert.Contains(texts.QuerySelectorAll("[data-testid=plan-text]"), r => r.GetAttribute("data-key") == "Title");
        var saved = await admin.FollowAsync(await admin.PostCraftedAsync("/verwaltung/plan-texte?sprache=ar", "/verwaltung/plan-texte",
            Fields(("language", "ar"), ("key", "Title"), ("text", Wording))));
        Assert.Equal("Der Text des Ausdrucks ist gespeichert.", saved.QuerySelector(".notice[role=status]")?.TextContent);

        // Out of range: an unknown key, a text of 1,001 characters — nothing stored.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostCraftedAsync("/verwaltung/plan-texte?sprache=ar", "/verwaltung/plan-texte",
            Fields(("language", "ar"), ("key", "Erfunden"), ("text", "x")))).StatusCode);
        using var tooLong = await admin.PostCraftedAsync("/verwaltung/plan-texte?sprache=ar", "/verwaltung/plan-texte",
            Fields(("language", "ar"), ("key", "Title"), ("text", new string('x', 1001))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains(PlanTextOverrideHandlers.TextRule, (await ParseAsync(tooLong)).QuerySelector(".field-error")?.TextContent, StringComparison.Ordinal);

        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        using var manager = await app.SignedInAs(Manager);
        var print = await manager.GetPageAsync($"/faelle/{id}/druck?language=ar");
        Assert.Equal(Wording, print.QuerySelector("h1[lang=ar]")?.TextContent);
        Assert.NotNull(print.QuerySelector("[data-testid=print-unreviewed]"));
        using var pdf = await client.GetAsync($"/api/v1/clients/{id}/plan.pdf?language=ar");
        using (var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            Assert.Contains(PdfText.Normalised(Wording), PdfText.Of(document.GetPage(1)), StringComparison.Ordinal);
        }

        // Another organisation prints the file's text; a team lead may not change the wording.
        using var otherClient = await app.ClientFor("im1@beispiel.example");
        var otherId = await CaseApi.NewCase(otherClient);
        using var other = await app.SignedInAs("im1@beispiel.example");
        Assert.Equal("خطة الاندماج", (await other.GetPageAsync($"/faelle/{otherId}/druck?language=ar")).QuerySelector("h1[lang=ar]")?.TextContent);
        using var lead = await app.SignedInAs("lead@musterstadt.example");
        using var leadPost = await lead.PostCraftedAsync("/", "/verwaltung/plan-texte", Fields(("language", "ar"), ("key", "Title"), ("text", "x")));
        Assert.StartsWith("http://localhost/konto/kein-zugriff", leadPost.Headers.Location?.ToString(), StringComparison.Ordinal);

        // An empty text lets the file's text apply again.
        await admin.FollowAsync(await admin.PostCraftedAsync("/verwaltung/plan-texte?sprache=ar", "/verwaltung/plan-texte", Fields(("language", "ar"), ("key", "Title"), ("text", ""))));
        Assert.Equal("خطة الاندماج", (await manager.GetPageAsync($"/faelle/{id}/druck?language=ar")).QuerySelector("h1[lang=ar]")?.TextContent);
    }
}
