using System.Net;
using AngleSharp.Dom;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Organisations;
using CaseManagement.SignIn;
using CaseManagement.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Account;

/// <summary>No session outlives its user: every request checks the server-side session, cookie and bearer token alike.</summary>
public sealed class SessionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string UsersPage = "/verwaltung/benutzer";

    /// <summary>A fresh manager, signed in twice: in a browser (cookie) and as an API client (tokens).</summary>
    private async Task<(Guid Id, string Email, WebSession Browser, HttpClient Api, JsonElement Tokens)> SignedInEverywhere(string name)
    {
        var (id, email) = await app.CreateManagerAsync(name);
        var browser = await app.SignedInAs(email);
        var api = app.Factory.CreateClient();
        var tokens = await Login(api, email, AppFixture.UserPassword);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        await AssertSignedIn(browser, api);
        return (id, email, browser, api, tokens);
    }

    private static async Task<JsonElement> Login(HttpClient client, string email, string password)
    {
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return await login.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertSignedIn(WebSession browser, HttpClient api)
    {
        using var page = await browser.GetAsync("/faelle");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var me = await api.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    /// <summary>The very next request: the page sends to the sign-in page, the API answers a German 401.</summary>
    private static async Task AssertSignedOut(WebSession browser, HttpClient api)
    {
        using var page = await browser.GetAsync("/faelle");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/konto/anmelden", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var me = await api.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("Nicht angemeldet.", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    /// <summary>Signed out in the browser and the API, and the API session's refresh token is refused too.</summary>
    private async Task AssertEndedEverywhere(WebSession browser, HttpClient api, JsonElement tokens)
    {
        await AssertSignedOut(browser, api);
        using var refresh = await Refresh(app.Factory.CreateClient(), tokens.GetProperty("refreshToken").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        browser.Dispose();
        api.Dispose();
    }

    private static async Task<HttpResponseMessage> Refresh(HttpClient client, string? refreshToken) =>
        await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    private async Task Edit(Guid id, string role, bool active)
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var page = $"{UsersPage}/{id}";
        var stamp = (await admin.GetPageAsync(page)).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=ConcurrencyStamp]")!.Value;
        var team = await app.WithDb(db => db.Users.Where(u => u.Id == id).Select(u => u.TeamId).SingleAsync());
        await AssertRedirectAsync(await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Test"), ("Role", role), ("TeamId", team?.ToString() ?? ""), ("IsActive", active ? "true" : "false"), ("ConcurrencyStamp", stamp))));
    }

    [Fact]
    public async Task A_deactivated_user_loses_page_and_API_access_at_the_next_request()
    {
        var (id, _, browser, api, tokens) = await SignedInEverywhere("deaktiv");

        await Edit(id, Roles.Manager, active: false);

        await AssertEndedEverywhere(browser, api, tokens);
    }

    [Fact]
    public async Task A_password_reset_by_the_administrator_ends_every_session_of_the_user()
    {
        var (id, _, browser, api, tokens) = await SignedInEverywhere("reset");
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var page = $"{UsersPage}/{id}";

        await AssertRedirectAsync(await admin.PostFormAsync(page, $"{page}/passwort", Fields(("NewPassword", "Neuer Anfang im Herbst 2026"))));

        await AssertEndedEverywhere(browser, api, tokens);
    }

    [Fact]
    public async Task A_changed_role_ends_every_session_of_the_user_at_the_next_request()
    {
        var (id, email, browser, api, _) = await SignedInEverywhere("rolle");

        await Edit(id, Roles.TeamLead, active: true);

        await AssertSignedOut(browser, api);
        using var again = await app.SignedInAs(email);
        Assert.Contains("Team", (await again.GetPageAsync("/")).NavigationLabels());
        browser.Dispose();
        api.Dispose();
    }

    [Fact]
    public async Task A_removed_role_ends_the_sessions_of_a_dismissed_data_protection_officer()
    {
        var (_, email, browser, api, _) = await SignedInEverywhere("bestellt");
        Assert.Empty(await app.Operator(operations => operations.GrantAsync(email, Roles.DataProtectionOfficer)));
        using (var dpoBrowser = await app.SignedInAs(email))
        using (var dpoApi = await app.ClientFor(email))
        {
            using (var log = await dpoApi.GetAsync("/api/v1/data-protection/access-log"))
            {
                Assert.Equal(HttpStatusCode.OK, log.StatusCode);
            }

            Assert.Empty(await app.Operator(operations => operations.RevokeAsync(email, Roles.DataProtectionOfficer)));

            using var page = await dpoBrowser.GetAsync("/datenschutz/zugriffsprotokoll");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            using var api2 = await dpoApi.GetAsync("/api/v1/data-protection/access-log");
            Assert.Equal(HttpStatusCode.Unauthorized, api2.StatusCode);
        }

        // The appointment itself (a role change) had already ended the sessions from before.
        await AssertSignedOut(browser, api);
        browser.Dispose();
        api.Dispose();
    }

    [Fact]
    public async Task A_cookie_copied_before_signing_out_is_refused_afterwards()
    {
        var (_, email) = await app.CreateManagerAsync("abmelden");
        using var browser = app.NewSession();
        using var signIn = await browser.SignInAsync(email, AppFixture.UserPassword);
        var copied = string.Join("; ", signIn.Headers.GetValues("Set-Cookie")
            .Where(c => c.StartsWith("cm.auth", StringComparison.Ordinal)).Select(c => c.Split(';')[0]));
        using var thief = app.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", copied);
        using (var before = await thief.GetAsync("/faelle"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await AssertRedirectAsync(await browser.PostFormAsync("/", "/konto/abmelden", []));

        using var after = await thief.GetAsync("/faelle");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/konto/anmelden", after.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(SessionEnd.SignedOut, await app.WithDb(db => db.UserSessions
            .Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == email)).Select(s => s.EndReason).SingleAsync()));
    }

    [Fact]
    public async Task API_logout_ends_the_access_token_and_its_refresh_token_at_once()
    {
        var (_, _, browser, api, tokens) = await SignedInEverywhere("apilogout");

        using var logout = await api.PostAsync("/api/v1/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var me = await api.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using var refresh = await Refresh(app.Factory.CreateClient(), tokens.GetProperty("refreshToken").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        var problem = await refresh.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Sitzung beendet.", problem.GetProperty("title").GetString());
        Assert.Equal("Das Refresh-Token ist ungültig, schon verwendet oder abgelaufen. Bitte melden Sie sich neu an.", problem.GetProperty("detail").GetString());
        // The browser's own session is another one and goes on.
        using var page = await browser.GetAsync("/faelle");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        browser.Dispose();
        api.Dispose();
    }

    [Fact]
    public async Task Refresh_rotates_both_tokens_and_a_reused_refresh_token_ends_the_whole_session()
    {
        var (_, email) = await app.CreateManagerAsync("refresh");
        using var client = app.Factory.CreateClient();
        var first = await Login(client, email, AppFixture.UserPassword);
        var firstRefresh = first.GetProperty("refreshToken").GetString();

        using var rotated = await Refresh(client, firstRefresh);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", second.GetProperty("tokenType").GetString());
        Assert.NotEqual(firstRefresh, second.GetProperty("refreshToken").GetString());
        Assert.NotEqual(first.GetProperty("accessToken").GetString(), second.GetProperty("accessToken").GetString());
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", second.GetProperty("accessToken").GetString());
            using var me = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // The first refresh token again (as a thief who copied it would): refused, and the session is over.
        using var reused = await Refresh(client, firstRefresh);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        using var afterTheft = await Refresh(client, second.GetProperty("refreshToken").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, afterTheft.StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", second.GetProperty("accessToken").GetString());
            using var me = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        foreach (var forged in new[] { "", "kein-token", Guid.NewGuid().ToString("N") + ".AAAA", new string('x', 5000) })
        {
            using var refused = await Refresh(client, forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task Changing_the_own_password_ends_the_other_sessions_and_keeps_this_browser_signed_in()
    {
        var (_, email, other, api, _) = await SignedInEverywhere("eigenes");
        using var browser = await app.SignedInAs(email);

        var changed = await browser.PostFormAsync("/konto/sicherheit/passwort", "/konto/sicherheit/passwort", Fields(
            ("CurrentPassword", AppFixture.UserPassword), ("NewPassword", "Schwarzwald im Schnee 2026"), ("ConfirmPassword", "Schwarzwald im Schnee 2026")));

        await AssertRedirectAsync(changed);
        using (var page = await browser.GetAsync("/faelle"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        await AssertSignedOut(other, api);
        other.Dispose();
        api.Dispose();
    }

    /// <summary>How long a node may answer the session check from memory has a documented range (0–300 s); outside it the node does not start.</summary>
    [Theory]
    [InlineData("-1")]
    [InlineData("301")]
    public void A_session_cache_outside_0_to_300_seconds_stops_the_start_with_a_German_message(string seconds)
    {
        using var node = app.Factory.WithWebHostBuilder(b => b.UseSetting("Sessions:CacheSeconds", seconds));
        var refused = Assert.ThrowsAny<Exception>(() => node.CreateClient());
        Assert.Contains("Sessions:CacheSeconds muss zwischen 0 und 300 liegen", refused.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The session check (one SQL statement, or the node's memory of the last seconds; UserSessions.IsCurrentAsync) writes when the session was last
    /// seen at most once a minute: not for a request right after the sign-in, but for one a day later.
    /// </summary>
    [Fact]
    public async Task A_request_a_minute_or_more_after_the_last_one_records_when_the_session_was_last_seen()
    {
        var (_, email) = await app.CreateManagerAsync("zuletzt");
        using var browser = await app.SignedInAs(email);
        Task<DateTimeOffset> LastSeen() => app.WithDb(db => db.UserSessions
            .Where(s => s.EndedAt == null && db.Users.Any(u => u.Id == s.UserId && u.Email == email)).Select(s => s.LastSeenAt).SingleAsync());
        var atSignIn = await LastSeen();

        using (var right = await browser.GetAsync("/faelle"))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        Assert.Equal(atSignIn, await LastSeen());
        app.Factory.Clock.SetDay(NodaTime.LocalDate.FromDateTime(DateTime.UtcNow).PlusDays(1));
        try
        {
            using (var later = await browser.GetAsync("/faelle"))
            {
                Assert.Equal(HttpStatusCode.OK, later.StatusCode);
            }

            Assert.Equal(app.Factory.Clock.GetCurrentInstant().ToDateTimeOffset(), await LastSeen());
        }
        finally
        {
            app.Factory.Clock.Reset();
        }
    }
}
