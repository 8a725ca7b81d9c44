using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.DataProtection;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.DataProtection.RichCases;

namespace CaseManagement.Tests.DataProtection;

/// <summary>Export (Art. 15/20): everything about the person, machine-readable and readable, nobody else's data.</summary>
public sealed class ExportTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_export_holds_every_event_type_of_the_case_and_everything_the_issue_lists_but_no_other_persons_data()
    {
        var rich = await BuildAsync(app);
        using var dpo = await app.ClientFor(Dpo);

        using var response = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{rich.Id}/export", new { purpose = "Auskunftsersuchen vom 20.11.2026" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"auskunft-{rich.CaseNumber}.zip", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var files = ErasureTests.Unzip(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["auskunft.html", "fall.json"], files.Keys.Where(k => !k.StartsWith("dokumente/", StringComparison.Ordinal)).Order());
        Assert.Single(files.Keys, k => k.StartsWith("dokumente/01-", StringComparison.Ordinal));

        var json = JsonDocument.Parse(files["fall.json"]).RootElement;
        var exportedTypes = json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToHashSet();
        var expected = ClientsStore.EventTypes.Where(t => t != typeof(CaseErased)).Select(t => t.Name).ToList();
        var missing = expected.Where(t => !exportedTypes.Contains(t)).ToList();
        Assert.True(missing.Count == 0, "Missing in the export: " + string.Join(", ", missing));
        Assert.All(json.GetProperty("events").EnumerateArray(), e =>
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("authorRole").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("at").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("description").GetString()));
        });

        // Current state, consultations, goals, consent records, reminders and the access log are there.
        Assert.Equal(rich.CaseNumber, json.GetProperty("case").GetProperty("caseNumber").GetString());
        Assert.Equal(3, json.GetProperty("consultations").GetArrayLength()); // two recorded, one appointment that took place
        Assert.Equal(2, json.GetProperty("goals").GetArrayLength());
        Assert.Equal(["ConsentRecorded", "ConsentWithdrawn"], json.GetProperty("consentRecords").EnumerateArray().Select(e => e.GetProperty("type").GetString()).Distinct().Order());
        Assert.True(json.TryGetProperty("reminders", out _));
        var reads = json.GetProperty("accessLog").EnumerateArray().ToList();
        Assert.Contains(reads, r => r.GetProperty("what").GetString() == "Fallakte" && r.GetProperty("role").GetString() == "Integrationsmanager:in");

        // Staff appear by role, the household member by case number only.
        var staffIds = await app.WithDb(db => db.Users.Select(u => u.Id.ToString()).ToListAsync());
        Assert.DoesNotContain(staffIds, id => files["fall.json"].Contains(id, StringComparison.OrdinalIgnoreCase));
        using var im2 = await app.ClientFor(SecondManager);
        var member = await Get(im2, $"/api/v1/clients/{rich.HouseholdMemberId}");
        Assert.DoesNotContain(member.GetProperty("lastName").GetString()!, files["fall.json"], StringComparison.Ordinal);
        Assert.Contains(member.GetProperty("caseNumber").GetString()!, files["fall.json"], StringComparison.Ordinal);
        Assert.DoesNotContain(rich.HouseholdMemberId.ToString(), files["auskunft.html"], StringComparison.Ordinal);

        // The readable document is German and names the person.
        var html = files["auskunft.html"];
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        Assert.Contains("Auskunft über gespeicherte Daten (Art. 15 DSGVO)", html, StringComparison.Ordinal);
        Assert.Contains(rich.Markers[0], html, StringComparison.Ordinal);
        Assert.Contains("Verlauf: alle Änderungen", html, StringComparison.Ordinal);

        // The export is in the access log, with the purpose.
        var logged = await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == rich.Id && e.What == "Export").ToListAsync());
        Assert.Equal("Auskunftsersuchen vom 20.11.2026", Assert.Single(logged).Purpose);
    }

    [Fact]
    public async Task The_export_states_every_Art_15_element_in_fall_json_and_in_auskunft_html_derived_from_the_case()
    {
        var rich = await BuildAsync(app);
        using var dpo = await app.ClientFor(Dpo);
        var files = await Export(dpo, rich.Id);
        var p = JsonDocument.Parse(files["fall.json"]).RootElement.GetProperty("processing");
        static List<string> Texts(JsonElement list) => list.EnumerateArray().Select(e => e.GetString()!).ToList();

        // (a) purposes, with the consent as recorded and partly withdrawn.
        var purposes = Texts(p.GetProperty("purposes"));
        Assert.Contains(purposes, x => x.StartsWith("Beratung und Begleitung im Integrationsmanagement", StringComparison.Ordinal));
        Assert.Contains(purposes, x => x.StartsWith("Ihre Einwilligung vom 01.02.2026", StringComparison.Ordinal)
                                       && x.Contains("Widerrufen am 01.08.2026: Kontakt per Telefon, E-Mail oder Messenger", StringComparison.Ordinal));

        // (b) categories: what this case holds, and not what it does not hold.
        var categories = p.GetProperty("dataCategories").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
        Assert.Superset(new HashSet<string>
        {
            "Stammdaten", "Staatsangehörigkeit", "Sprachen", "Kontaktdaten", "Einwilligungen", "Bildung und Beruf", "Sprachkenntnisse",
            "Individuelle Entwicklungen", "Integrationsplan", "Beratungskontakte", "Vermittlungen", "Haushalt", "Entscheidungen der Teamleitung",
            "Zugriffsprotokoll", "Verlauf",
        }, categories.ToHashSet());
        Assert.DoesNotContain("Gesundheit (Art. 9 DSGVO)", categories); // no goal or consultation in the field of health
        Assert.DoesNotContain("Einschränkung der Verarbeitung", categories); // lifted again

        // (c) recipients: roles and the organisation, from the access log and the history; no staff names.
        var recipients = p.GetProperty("recipients").EnumerateArray().ToDictionary(r => r.GetProperty("role").GetString()!);
        Assert.All(recipients.Values, r => Assert.Equal("Stadt Musterstadt", r.GetProperty("organisation").GetString()));
        Assert.True(recipients["Integrationsmanager:in"].GetProperty("reads").GetInt32() >= 2);
        Assert.True(recipients["Integrationsmanager:in"].GetProperty("changes").GetInt32() >= 20);
        Assert.True(recipients["Teamleitung"].GetProperty("changes").GetInt32() >= 2);
        Assert.True(recipients["Datenschutzbeauftragte:r"].GetProperty("changes").GetInt32() >= 2);
        var staff = await app.WithDb(db => db.Users.Select(u => u.DisplayName).ToListAsync());
        Assert.DoesNotContain(staff, name => files["fall.json"].Contains(name, StringComparison.Ordinal) || files["auskunft.html"].Contains(name, StringComparison.Ordinal));
        var outside = Texts(p.GetProperty("recipientsOutsideTheOrganisation"));
        Assert.Contains(outside, x => x.Contains("Regierungspräsidium Stuttgart", StringComparison.Ordinal));
        Assert.Contains(outside, x => x.Contains("Drittländer", StringComparison.Ordinal));
        Assert.Contains(outside, x => x.StartsWith("Stellen, an die Sie vermittelt wurden", StringComparison.Ordinal));

        // (d) storage: the retention setting; the case was reopened, so no erasure day yet.
        var storage = p.GetProperty("storage");
        Assert.Equal((36, 24, JsonValueKind.Null), (storage.GetProperty("monthsAfterClosing").GetInt32(), storage.GetProperty("accessLogMonths").GetInt32(),
            storage.GetProperty("erasureDueOn").ValueKind));
        Assert.StartsWith("Die Fallakte wird 36 Monate nach dem Abschluss des Falls gelöscht (dieser Fall ist nicht abgeschlossen).",
            storage.GetProperty("description").GetString(), StringComparison.Ordinal);

        // (e, f) rights and the supervisory authority.
        var rights = string.Join(" ", Texts(p.GetProperty("rights")));
        Assert.All(new[] { "Art. 15", "Art. 16", "Art. 17", "Art. 18", "Art. 20", "Art. 21", "Art. 7 Abs. 3", "Art. 77" }, a => Assert.Contains(a, rights, StringComparison.Ordinal));
        Assert.Contains("Baden-Württemberg", p.GetProperty("supervisoryAuthority").GetString(), StringComparison.Ordinal);

        // (g) sources: the person at intake, certificates, the household link, the lead, the DPO.
        var sources = Texts(p.GetProperty("sources"));
        Assert.Equal(6, sources.Count);
        Assert.StartsWith("Von Ihnen selbst: im Erstgespräch", sources[0], StringComparison.Ordinal);
        Assert.Contains(sources, x => x.StartsWith("Haushalt:", StringComparison.Ordinal));

        // (h) no automated decision: the eligibility check is a proposal a person confirms.
        var automated = p.GetProperty("automatedDecisionMaking");
        Assert.False(automated.GetProperty("exists").GetBoolean());
        Assert.Contains("Art. 22 DSGVO", automated.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("Dieses Ergebnis ist ein Vorschlag", automated.GetProperty("description").GetString(), StringComparison.Ordinal);

        // The readable document says the same, element by element, under headings naming the letters of Art. 15.
        var html = await AngleSharp.BrowsingContextExtensions.OpenAsync(AngleSharp.BrowsingContext.New(AngleSharp.Configuration.Default), r => r.Content(files["auskunft.html"]));
        var section = html.QuerySelector("section#art15")!;
        Assert.Equal(
            ["Zwecke der Verarbeitung (Art. 15 Abs. 1 lit. a DSGVO)", "Kategorien personenbezogener Daten in dieser Fallakte (lit. b)", "Empfänger (lit. c)",
             "Speicherdauer (lit. d)", "Ihre Rechte (lit. e und f)", "Herkunft der Daten (lit. g)", "Automatisierte Entscheidungen (lit. h)"],
            section.QuerySelectorAll("h2").Select(h => h.TextContent));
        var text = section.TextContent;
        var expected = purposes.Concat(Texts(p.GetProperty("rights"))).Concat(sources).Concat(outside)
            .Concat(p.GetProperty("dataCategories").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}: {c.GetProperty("contents").GetString()}"))
            .Append(storage.GetProperty("description").GetString()!).Append(automated.GetProperty("description").GetString()!)
            .Append(p.GetProperty("supervisoryAuthority").GetString()!);
        Assert.All(expected, x => Assert.Contains(x, text, StringComparison.Ordinal));
        var rows = section.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(recipients.Count, rows.Count);
        Assert.Contains(rows, r => r[0] == "Stadt Musterstadt" && r[1] == "Teamleitung");
    }

    [Fact]
    public async Task For_a_closed_case_the_export_names_the_day_of_its_erasure_from_the_retention_setting()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        await Change(manager, $"/api/v1/clients/{id}/close", new { reason = "Other", closedOn = "2026-09-01", note = "Umzug" });

        var files = await Export(dpo, id);
        var storage = JsonDocument.Parse(files["fall.json"]).RootElement.GetProperty("processing").GetProperty("storage");
        Assert.Equal(("2026-09-01", "2029-09-01"), (storage.GetProperty("closedOn").GetString(), storage.GetProperty("erasureDueOn").GetString()));
        Assert.Contains("(dieser Fall wurde am 01.09.2026 abgeschlossen: Löschung am 01.09.2029)", files["auskunft.html"], StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> Export(HttpClient dpo, Guid caseId)
    {
        using var response = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{caseId}/export", new { purpose = "Auskunftsersuchen" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ErasureTests.Unzip(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task With_a_password_the_zip_is_encrypted_and_a_short_password_is_refused()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);

        using (var tooShort = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/export", new { password = "kurz" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
            Assert.Equal("Das Passwort muss 8 bis 200 Zeichen lang sein (oder leer bleiben).",
                (await tooShort.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("password")[0].GetString());
        }

        using var response = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/export", new { password = "Geheim!2026" });
        var zip = await response.Content.ReadAsByteArrayAsync();
        using (var stream = new MemoryStream(zip))
        using (var file = new ICSharpCode.SharpZipLib.Zip.ZipFile(stream))
        {
            Assert.All(file.Cast<ICSharpCode.SharpZipLib.Zip.ZipEntry>(), e => Assert.True(e.IsCrypted && e.AESKeySize == 256));
            Assert.ThrowsAny<Exception>(() => new StreamReader(file.GetInputStream(file.GetEntry("fall.json"))).ReadToEnd());
        }

        Assert.Contains("Fall-", ErasureTests.Unzip(zip, "Geheim!2026")["fall.json"], StringComparison.Ordinal);
    }
}
