using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Clients;
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
        Assert.Equal(["auskunft.html", "fall.json"], files.Keys.Order());

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
        Assert.Equal(2, json.GetProperty("consultations").GetArrayLength());
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
    public async Task With_a_password_the_zip_is_encrypted_and_a_short_password_is_refused()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);

        using (var tooShort = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/export", new { password = "kurz" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
            Assert.Equal("Das Passwort muss mindestens 8 Zeichen lang sein (oder leer bleiben).",
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
