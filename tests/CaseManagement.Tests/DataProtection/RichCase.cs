using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.DataProtection;

/// <summary>A case worked on through every feature, with a unique marker in every free-text field.</summary>
public sealed record RichCase(Guid Id, string CaseNumber, Guid HouseholdMemberId, IReadOnlyList<string> Markers);

/// <summary>
/// Builds a <see cref="RichCase"/> through the API as the users would: intake with contact and consent,
/// profile, language level, development, goals with steps and status changes, a review, consultations,
/// referrals, signature, housing and residence changes, an individual decision and an extension (lead),
/// pause and resume, reassignment and a rejected transfer, a household link and unlink, a partial consent
/// withdrawal, a restriction and its lifting (DPO), close and reopen — every event type of a case.
/// </summary>
public static class RichCases
{
    public const string Manager = "im1@musterstadt.example";
    public const string SecondManager = "im2@musterstadt.example";
    public const string Lead = "lead@musterstadt.example";
    public const string SouthLead = "lead-sued@musterstadt.example";
    public const string Dpo = "dpo@musterstadt.example";

    public static string NewMarker() => "Mk" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<RichCase> BuildAsync(AppFixture app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var markers = new List<string>();
        string M()
        {
            var marker = NewMarker();
            markers.Add(marker);
            return marker;
        }

        using var im1 = await app.ClientFor(Manager);
        using var im2 = await app.ClientFor(SecondManager);
        using var lead = await app.ClientFor(Lead);
        using var south = await app.ClientFor(SouthLead);
        using var dpo = await app.ClientFor(Dpo);
        var phoneDigits = string.Concat(Guid.NewGuid().ToByteArray().Take(5).Select(b => (b % 10).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "93";
        markers.Add(phoneDigits);

        using var created = await im1.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = M(),
            lastName = M(),
            birthDate = "1991-04-17",
            gender = "female",
            nationality = "ER",
            languages = new[] { "ti", "ar" },
            interpreterLanguage = "ti",
            arrivedOn = "2023-02-10",
            supportStart = "2026-02-01",
            housing = new { type = "FollowUpAccommodation", since = "2025-11-01" },
            residenceStatus = new { kind = "RefugeeProtection", validUntil = "2029-01-31" },
            contact = new { phone = "+49 711 " + phoneDigits, email = M() + "@example.org", street = M() + " 12", postalCode = "70173", city = M() },
            consent = new { givenOn = "2026-02-01", scopes = new[] { "Counselling", "SharingWithServices", "ContactByPhoneOrEmail" }, formVersion = M() },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var opened = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = opened.GetProperty("id").GetGuid();
        var caseNumber = opened.GetProperty("caseNumber").GetString()!;
        var url = $"/api/v1/clients/{id}";

        await Change(im1, url + "/profile", new
        {
            qualifications = M(), competences = M(), schoolYears = 10, schoolCertificate = M(), schoolCountry = "ER", vocationalDegree = M(), workExperience = M(),
        });
        await Change(im1, url + "/language-levels", new { language = "de", level = "B1", basis = "Certificate", certificate = M(), assessedOn = "2026-05-01" });
        await Change(im1, url + "/developments", new { date = "2026-05-02", text = M() });

        var goal = await Goal(im1, url, new { field = "Language", text = M(), agreedOn = "2026-03-01", targetDate = "2026-06-30", nextReview = "2026-05-01" });
        var dropped = await Goal(im1, url, new { field = "LabourMarket", text = M(), agreedOn = "2026-03-01", targetDate = "2027-03-01", nextReview = "2026-12-01" });
        await Change(im1, $"{url}/goals/{goal}/status", new { status = "InProgress" });
        await Change(im1, $"{url}/goals/{dropped}/status", new { status = "Dropped", reason = M() });
        await Change(im1, $"{url}/goals/{goal}/steps", new { text = M(), responsible = "OtherService", service = M(), dueDate = "2026-06-01" });
        var stepId = (await Get(im1, url)).GetProperty("goals").EnumerateArray().First(g => g.GetProperty("id").GetGuid() == goal)
            .GetProperty("steps")[0].GetProperty("id").GetGuid();
        await Change(im1, $"{url}/goals/{goal}/steps/{stepId}/done", new { completedOn = "2026-05-20" });
        await Change(im1, url + "/reviews", new
        {
            date = "2026-05-15", summary = M(), nextReview = "2026-08-15",
            goals = new[] { new { goalId = goal, outcome = "Change", newText = M(), newTargetDate = "2026-07-31" } },
        });
        await Change(im1, url + "/consultations", new
        {
            date = "2026-04-10", durationMinutes = 45, mode = "Office", fields = new[] { "Language", "LabourMarket" }, interpreterLanguage = "ti", note = M(),
        });
        await Change(im1, url + "/consultations", new { date = "2026-06-12", durationMinutes = 30, mode = "Phone", fields = new[] { "Housing" }, note = M() });

        // Appointments (dates around today: the range is relative to it): one moved and cancelled, one missed, one that took
        // place (it becomes the third consultation).
        var today = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(CaseManagement.Common.Time.Berlin).Date;
        string At(int days) => today.PlusDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T10:00";
        var movedAppointment = (await Change(im1, url + "/appointments", new { start = At(7), durationMinutes = 60, place = "HomeVisit", interpreterNeeded = true, note = M() })).GetProperty("id").GetGuid();
        await Change(im1, $"{url}/appointments/{movedAppointment}", new { start = At(8), durationMinutes = 45, place = "Office", note = M() });
        await Change(im1, $"{url}/appointments/{movedAppointment}/cancel", new { });
        var missed = (await Change(im1, url + "/appointments", new { start = At(-2), durationMinutes = 30, place = "Phone", note = M() })).GetProperty("id").GetGuid();
        await Change(im1, $"{url}/appointments/{missed}/outcome", new { outcome = "Missed" });
        var tookPlace = (await Change(im1, url + "/appointments", new { start = At(-1), durationMinutes = 30, place = "Video" })).GetProperty("id").GetGuid();
        await Change(im1, $"{url}/appointments/{tookPlace}/outcome", new { outcome = "TookPlace" });
        await Change(im1, url + "/referrals", new { service = "Other", serviceName = M(), date = "2026-04-20", goalId = goal, note = M() });
        await Change(im1, url + "/plan-signature", new { signedOn = "2026-03-02" });

        // Two documents (title and reason are markers; the files' bytes are looked for by DocumentsTests), one deleted again.
        await Documents.DocumentFixtures.Attach(im1, id, Documents.DocumentFixtures.Pdf(NewMarker()), M(), "Letter", "2026-04-01");
        var extra = await Documents.DocumentFixtures.Attach(im1, id, Documents.DocumentFixtures.Png(NewMarker()), M(), "Other", "2026-04-02");
        using (var deleted = await Documents.DocumentFixtures.Delete(im1, id, extra, M()))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        await Change(im1, url + "/housing", new { type = "FollowUpAccommodation", since = "2026-07-01" });

        // An individual decision (Ausbildungsduldung) approved by the lead, then back to refugee protection.
        await Change(im1, url + "/residence-status", new { kind = "TrainingToleration", validUntil = "2027-08-31" });
        await Change(im1, url + "/individual-decision", new { justification = M() + " Ausbildung zur Pflegefachkraft begonnen" });
        await Decide(lead, id, ApprovalKind.IndividualDecision, "approve", M());
        await Change(im1, url + "/residence-status", new { kind = "RefugeeProtection", validUntil = "2029-01-31" });
        await Change(im1, url + "/support-extension", new { justification = M() + " Ausbildung endet erst nach drei Jahren" });
        await Decide(lead, id, ApprovalKind.SupportExtension, "reject", M());

        await Change(im1, url + "/pause", new { note = M() });
        await Change(im1, url + "/resume", new { });

        // The lead moves the case within the team, then asks the other team to take it; that lead declines.
        using (var moved = await lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { id }, toManagerId = await UserId(app, SecondManager), note = M() }))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using (var transfer = await lead.PostAsJsonAsync("/api/v1/clients/reassign", new { caseIds = new[] { id }, toManagerId = await UserId(app, "im3@musterstadt.example"), note = M() }))
        {
            Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        }

        var transferId = (await south.GetFromJsonAsync<JsonElement>("/api/v1/approvals")).EnumerateArray()
            .First(a => a.GetProperty("caseNumbers").EnumerateArray().Any(n => n.GetString() == caseNumber)).GetProperty("id").GetGuid();
        using (var declined = await south.PostAsJsonAsync($"/api/v1/approvals/{transferId}/decision", new { decision = "reject", comment = M() }))
        {
            Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        }

        // A household member (another case of the same manager), linked and unlinked again, then linked for good.
        var member = await CaseApi.NewCase(im2);
        var memberNumber = (await Get(im2, $"/api/v1/clients/{member}")).GetProperty("caseNumber").GetString();
        await Change(im2, url + "/household", new { memberCaseNumber = memberNumber, relation = "Partner" });
        var (status, body) = await DeleteVersioned(im2, $"{url}/household/{member}", Version(await Get(im2, url)));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        await Change(im2, url + "/household", new { memberCaseNumber = memberNumber, relation = "Sibling" });

        await Change(im2, url + "/consent/withdrawal", new { withdrawnOn = "2026-08-01", scopes = new[] { "ContactByPhoneOrEmail" } });
        using (var restricted = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/restriction", new { reason = M() }))
        {
            Assert.Equal(HttpStatusCode.OK, restricted.StatusCode);
        }

        using (var lifted = await dpo.DeleteAsync($"/api/v1/data-protection/subjects/{id}/restriction"))
        {
            Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        }

        await Change(im2, url + "/close", new { reason = "Other", closedOn = "2026-09-01", note = M() });
        await Change(im2, url + "/reopen", new { note = M() });

        // A read with a stated purpose.
        using var read = new HttpRequestMessage(HttpMethod.Get, url);
        read.Headers.Add("X-Access-Purpose", M());
        using (var answer = await im2.SendAsync(read))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        return new RichCase(id, caseNumber, member, markers);
    }

    public static async Task<JsonElement> Get(HttpClient client, string url) => await client.GetFromJsonAsync<JsonElement>(url);

    public static long Version(JsonElement body) => body.GetProperty("version").GetInt64();

    /// <summary>A change at the current version (read just before); asserts that it was accepted.</summary>
    public static async Task<JsonElement> Change(HttpClient client, string url, object body)
    {
        var caseUrl = string.Join('/', url.Split('/').Take(5));
        var (status, result) = await CaseApi.PostVersioned(client, url, body, Version(await Get(client, caseUrl)));
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"POST {url}: {(int)status} {result}");
        return result;
    }

    private static async Task<Guid> Goal(HttpClient client, string url, object body) => (await Change(client, url + "/goals", body)).GetProperty("goalId").GetGuid();

    private enum ApprovalKind
    {
        IndividualDecision,
        SupportExtension,
    }

    private static async Task Decide(HttpClient lead, Guid caseId, ApprovalKind kind, string decision, string comment)
    {
        var approval = (await lead.GetFromJsonAsync<JsonElement>("/api/v1/approvals")).EnumerateArray()
            .First(a => a.GetProperty("caseId").GetGuid() == caseId && a.GetProperty("kind").GetString() == kind.ToString()).GetProperty("id").GetGuid();
        using var decided = await lead.PostAsJsonAsync($"/api/v1/approvals/{approval}/decision", new { decision, comment });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
    }

    private static async Task<Guid> UserId(AppFixture app, string email) =>
        await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Email == email).Select(u => u.Id)));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> DeleteVersioned(HttpClient client, string url, long version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, url);
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
