using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Cases;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseManagement.Tests.DataProtection.RichCases;

namespace CaseManagement.Tests.DataProtection;

/// <summary>Restriction (Art. 18) and withdrawn consent make the case read-only for managers and say why.</summary>
public sealed class RestrictionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static async Task<Guid> NewCaseWithOverdueGoal(HttpClient manager)
    {
        var id = await CaseApi.NewCase(manager);
        await Change(manager, $"/api/v1/clients/{id}/consent", new { givenOn = "2026-02-01", scopes = new[] { "Counselling", "ContactByPhoneOrEmail" }, formVersion = "2025-03" });
        await Change(manager, $"/api/v1/clients/{id}/goals", new { field = "Language", text = "B1 erreichen", agreedOn = "2026-03-01", targetDate = "2026-06-30", nextReview = "2026-05-01" });
        return id;
    }

    private async Task<int> OpenReminders(Guid caseId)
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var organisation = await scope.ServiceProvider.GetRequiredService<CaseManagement.Storage.AppDbContext>().Organisations
                .Where(o => o.Name == DemoData.Musterstadt).Select(o => o.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync(organisation, CancellationToken.None);
        }

        return await app.WithDb(db => db.Reminders.CountAsync(r => r.CaseId == caseId && r.DoneAt == null));
    }

    [Fact]
    public async Task A_restricted_case_takes_no_change_shows_why_rests_its_reminders_and_is_writable_again_when_lifted()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await NewCaseWithOverdueGoal(manager);
        Assert.NotEqual(0, await OpenReminders(id));

        using (var restricted = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/restriction", new { reason = "Richtigkeit bestritten (Art. 18 Abs. 1 lit. a)" }))
        {
            Assert.Equal(HttpStatusCode.OK, restricted.StatusCode);
        }

        var seen = await Get(manager, $"/api/v1/clients/{id}");
        Assert.Equal(ProcessingRules.RestrictedMessage, seen.GetProperty("readOnlyReason").GetString());
        Assert.Equal("Richtigkeit bestritten (Art. 18 Abs. 1 lit. a)", seen.GetProperty("restriction").GetProperty("reason").GetString());
        var (status, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/developments", new { date = "2026-05-02", text = "neu" }, Version(seen));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(ProcessingRules.RestrictedMessage, body.GetProperty("detail").GetString());
        (status, _) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/consent", new { givenOn = "2026-03-01", scopes = new[] { "Counselling" }, formVersion = "2026-01" }, Version(seen));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(Version(seen), Version(await Get(manager, $"/api/v1/clients/{id}")));

        // The page says why and offers no form that changes the case.
        using var web = await app.SignedInAs(Manager);
        var page = await web.GetPageAsync($"/faelle/{id}");
        Assert.Contains("Die Verarbeitung ist eingeschränkt (DSGVO Art. 18)", page.QuerySelector("[data-testid=read-only]")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await CaseFormActions(web, id));
        var refused = await WebSession.ParseAsync(await web.PostCraftedAsync($"/faelle/{id}", $"/faelle/{id}/entwicklungen",
            WebSession.Fields(("Version", Version(seen).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Date", "2026-05-02"), ("Text", "neu"))));
        Assert.Contains(ProcessingRules.RestrictedMessage, refused.ErrorMessages());

        // Nothing may be done with the case: its reminders are done and no new ones come.
        Assert.Equal(0, await OpenReminders(id));

        using (var lifted = await dpo.DeleteAsync($"/api/v1/data-protection/subjects/{id}/restriction"))
        {
            Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        }

        await Change(manager, $"/api/v1/clients/{id}/developments", new { date = "2026-05-02", text = "wieder möglich" });
        Assert.True(JsonValueKind.Null == (await Get(manager, $"/api/v1/clients/{id}")).GetProperty("readOnlyReason").ValueKind);
    }

    [Fact]
    public async Task A_withdrawal_of_consent_to_the_counselling_leaves_only_new_consent_or_closing()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await NewCaseWithOverdueGoal(manager);
        var url = $"/api/v1/clients/{id}";

        // Withdrawing the contact scope only is recorded and changes nothing else.
        await Change(manager, url + "/consent/withdrawal", new { withdrawnOn = "2026-10-01", scopes = new[] { "ContactByPhoneOrEmail" } });
        await Change(manager, url + "/developments", new { date = "2026-10-02", text = "Kontakt nur noch persönlich" });

        await Change(manager, url + "/consent/withdrawal", new { withdrawnOn = "2026-10-05", scopes = new[] { "Counselling" } });
        var seen = await Get(manager, url);
        Assert.Equal(ProcessingRules.WithdrawnMessage, seen.GetProperty("readOnlyReason").GetString());
        Assert.Equal(["Counselling", "ContactByPhoneOrEmail"], seen.GetProperty("consentWithdrawal").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var (status, body) = await CaseApi.PostVersioned(manager, url + "/goals", new { field = "Housing", text = "Wohnung", agreedOn = "2026-10-06", targetDate = "2027-03-01" }, Version(seen));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(ProcessingRules.WithdrawnMessage, body.GetProperty("detail").GetString());
        Assert.Equal(0, await OpenReminders(id));

        using (var web = await app.SignedInAs(Manager))
        {
            var page = await web.GetPageAsync($"/faelle/{id}");
            Assert.NotNull(page.QuerySelector("[data-testid=read-only]"));
            Assert.Equal([$"/faelle/{id}/abschliessen", $"/faelle/{id}/einwilligung"], await CaseFormActions(web, id));
            Assert.Contains("Widerrufen am 05.10.2026", (await web.GetPageAsync($"/faelle/{id}/datenschutz")).QuerySelector("[data-testid=consent-withdrawal]")!.TextContent, StringComparison.Ordinal);
        }

        // New consent makes the case writable again.
        await Change(manager, url + "/consent", new { givenOn = "2026-10-20", scopes = new[] { "Counselling" }, formVersion = "2026-10" });
        await Change(manager, url + "/developments", new { date = "2026-10-21", text = "neue Einwilligung" });
        Assert.Equal(JsonValueKind.Null, (await Get(manager, url)).GetProperty("consentWithdrawal").ValueKind);
    }

    [Fact]
    public async Task Bad_input_for_restriction_and_withdrawal_gets_a_German_message_and_changes_nothing()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        var version = Version(await Get(manager, $"/api/v1/clients/{id}"));

        using (var noReason = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/restriction", new { reason = "" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
            Assert.StartsWith("Bitte den Grund der Einschränkung angeben", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("")[0].GetString(), StringComparison.Ordinal);
        }

        using (var notRestricted = await dpo.DeleteAsync($"/api/v1/data-protection/subjects/{id}/restriction"))
        {
            Assert.Equal(HttpStatusCode.Conflict, notRestricted.StatusCode); // refused: invalid-transition
        }

        // No consent recorded yet: nothing to withdraw; a date in the future is refused too.
        var (status, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/consent/withdrawal", new { withdrawnOn = "2026-10-01", scopes = new[] { "Counselling" } }, version);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Es ist keine Einwilligung erfasst, die widerrufen werden könnte.", body.GetProperty("errors").GetProperty("")[0].GetString());
        (status, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/consent/withdrawal", new { withdrawnOn = "2099-01-01", scopes = Array.Empty<string>() }, version);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("heute", body.GetProperty("errors").GetProperty("withdrawnOn")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Bitte angeben, wofür die Einwilligung widerrufen wird.", body.GetProperty("errors").GetProperty("scopes")[0].GetString());
        Assert.Equal(version, Version(await Get(manager, $"/api/v1/clients/{id}")));
    }

    /// <summary>The actions of every form on every section of the case page that would change the case.</summary>
    private static async Task<List<string>> CaseFormActions(WebSession web, Guid id)
    {
        var actions = new List<string>();
        foreach (var section in new[] { "", "/plan", "/beratungen", "/termine", "/erinnerungen", "/dokumente", "/verlauf", "/datenschutz" })
        {
            var page = await web.GetPageAsync($"/faelle/{id}{section}");
            actions.AddRange(page.QuerySelectorAll("form[method=post]").Select(f => f.GetAttribute("action")!).Where(a => a.StartsWith("/faelle/", StringComparison.Ordinal)));
        }

        return actions.Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
