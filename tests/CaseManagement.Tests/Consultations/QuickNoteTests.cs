using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Consultations;

/// <summary>The quick note (Kurznotiz): a consultation in one step from "Meine Fälle" and from the top of the case page.</summary>
public sealed class QuickNoteTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Saved = "Die Kurznotiz ist als Beratungskontakt erfasst.";

    private static string Today => NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(CaseManagement.Common.Time.Berlin).Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> LastName(HttpClient api, Guid id) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("lastName").GetString()!;

    private static IEnumerable<KeyValuePair<string, string>> ListNote(string search, long version, string mode, string minutes, string note) => Fields(
        ("Version", version.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("FromList", "true"), ("Search", search), ("Status", ""), ("Verdict", ""),
        ("Overdue", "false"), ("Page", "1"), ("Mode", mode), ("DurationMinutes", minutes), ("Date", Today), ("Fields", "Language"), ("Fields", "Housing"),
        ("InterpreterLanguage", "AR"), ("Note", note));

    [Fact]
    public async Task From_the_list_a_quick_note_is_recorded_and_the_user_is_back_at_the_same_place_with_a_confirmation()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        var name = await LastName(api, id);
        using var session = await app.SignedInAs("im2@musterstadt.example");
        var list = $"/faelle?search={name}";
        var page = await session.GetPageAsync(list);
        Assert.NotNull(page.QuerySelector($"tbody#fall-{id:N} form[action='/faelle/{id}/kurznotiz']"));

        var saved = await session.SubmitAsync(page, $"/faelle/{id}/kurznotiz", ListNote(name, 2, "Phone", "20", "Kurz telefoniert"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var location = saved.Headers.Location!.OriginalString;
        Assert.StartsWith($"/faelle?search={name}&", location, StringComparison.Ordinal);
        Assert.Contains("page=1", location, StringComparison.Ordinal);
        Assert.EndsWith($"#fall-{id:N}", location, StringComparison.Ordinal);
        var back = await session.FollowAsync(saved);
        Assert.Equal("Meine Fälle", back.Heading());
        Assert.Equal(Saved, back.QuerySelector(".notice[role=status]")?.TextContent);
        Assert.NotNull(back.QuerySelector($"tbody#fall-{id:N}"));

        var consultation = Assert.Single((await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("consultations").EnumerateArray());
        Assert.Equal((Today, 20, "Phone", "ar", "Kurz telefoniert"), (consultation.GetProperty("date").GetString(), consultation.GetProperty("durationMinutes").GetInt32(),
            consultation.GetProperty("mode").GetString(), consultation.GetProperty("interpreterLanguage").GetString(), consultation.GetProperty("note").GetString()));
        Assert.Equal(["Language", "Housing"], consultation.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task The_last_used_mode_and_duration_are_the_next_quick_notes_defaults_for_that_user_only()
    {
        var (_, email) = await app.CreateManagerAsync("kurznotiz");
        using var api = await app.ClientFor(email, AppFixture.UserPassword);
        var id = await CaseApi.NewCase(api);
        var name = await LastName(api, id);
        using var session = await app.SignedInAs(email, AppFixture.UserPassword);
        var list = $"/faelle?search={name}";
        var before = await session.GetPageAsync(list);
        Assert.Equal(("", "30"), Defaults(before, id));

        await AssertRedirectAsync(await session.SubmitAsync(before, $"/faelle/{id}/kurznotiz", ListNote(name, 2, "Video", "45", "")));

        Assert.Equal(("Video", "45"), Defaults(await session.GetPageAsync(list), id));
        var casePage = await session.GetPageAsync($"/faelle/{id}");
        Assert.Equal("Video", casePage.QuerySelector<IHtmlSelectElement>("#quick-note-mode")!.Value);
        Assert.Equal("45", casePage.QuerySelector<IHtmlInputElement>("#quick-note-duration")!.Value);
        Assert.Equal(Today, casePage.QuerySelector<IHtmlInputElement>("#quick-note-date")!.Value);

        // Another user's defaults are their own.
        using var other = await app.SignedInAs("im1@musterstadt.example");
        using var otherApi = await app.ClientFor("im1@musterstadt.example");
        var otherCase = await CaseApi.NewCase(otherApi);
        Assert.NotEqual("Video", (await other.GetPageAsync($"/faelle/{otherCase}")).QuerySelector<IHtmlSelectElement>("#quick-note-mode")!.Value);
    }

    private static (string Mode, string Minutes) Defaults(IDocument page, Guid id) =>
        (page.QuerySelector<IHtmlSelectElement>($"#qn-{id:N}-mode")!.Value ?? "", page.QuerySelector<IHtmlInputElement>($"#qn-{id:N}-duration")!.Value);

    [Fact]
    public async Task A_refused_quick_note_stays_open_on_the_list_with_the_messages_and_nothing_is_stored()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        var name = await LastName(api, id);
        using var session = await app.SignedInAs("im2@musterstadt.example");

        var refused = await session.PostFormAsync($"/faelle?search={name}", $"/faelle/{id}/kurznotiz", ListNote(name, 2, "", "0", "Notiz bleibt erhalten"));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await ParseAsync(refused);
        Assert.Equal("Meine Fälle", page.Heading());
        var box = page.QuerySelector($"tbody#fall-{id:N} details.quick-note")!;
        Assert.True(box.HasAttribute("open"));
        Assert.Equal("Bitte die Dauer in Minuten angeben (5 bis 600).", box.QuerySelector($"#qn-{id:N}-duration-error")!.TextContent);
        Assert.Equal("Bitte die Art des Kontakts wählen.", box.QuerySelector($"#qn-{id:N}-mode-error")!.TextContent);
        Assert.Equal("Notiz bleibt erhalten", box.QuerySelector("textarea")!.TextContent);
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task From_the_top_of_the_case_page_the_quick_note_goes_back_to_the_case()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs("im2@musterstadt.example");

        var shown = await session.FollowAsync(await session.PostFormAsync($"/faelle/{id}", $"/faelle/{id}/kurznotiz", Fields(
            ("Version", "2"), ("Mode", "Office"), ("DurationMinutes", "15"), ("Date", Today), ("Note", "Unterlagen abgegeben"))));

        Assert.Equal(Saved, shown.QuerySelector(".notice[role=status]")?.TextContent);
        Assert.Contains((await session.GetPageAsync($"/faelle/{id}/beratungen")).QuerySelectorAll("[data-testid=consultations] td"), td => td.TextContent == "Unterlagen abgegeben");
    }

    [Theory]
    [InlineData("im3@musterstadt.example")] // another team
    [InlineData("im1@beispiel.example")] // another organisation
    public async Task Another_teams_or_organisations_case_takes_no_quick_note(string email)
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs(email);

        var crafted = await session.PostCraftedAsync("/faelle", $"/faelle/{id}/kurznotiz", Fields(("Version", "2"), ("Mode", "Office"), ("DurationMinutes", "15"), ("Date", Today)));

        Assert.Equal(HttpStatusCode.NotFound, crafted.StatusCode);
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task An_administrator_cannot_record_a_quick_note()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        using var session = await app.SignedInAs("admin@musterstadt.example");

        var crafted = await session.PostCraftedAsync("/verwaltung/textbausteine", $"/faelle/{id}/kurznotiz", Fields(("Version", "2"), ("Mode", "Office"), ("DurationMinutes", "15"), ("Date", Today)));

        Assert.Equal(HttpStatusCode.Redirect, crafted.StatusCode);
        Assert.StartsWith("http://localhost/konto/kein-zugriff", crafted.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("version").GetInt64());
    }
}
