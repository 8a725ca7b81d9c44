using System.Net;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Account;

public sealed class SignInTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Sign_in_with_the_right_password_shows_the_start_page_with_name_organisation_and_team()
    {
        using var session = app.NewSession();

        var response = await session.SignInAsync("im1@musterstadt.example", DemoData.DefaultPassword);
        var start = await session.FollowAsync(response);

        Assert.Equal("Guten Tag, Miriam Keller", start.Heading());
        Assert.Equal("Stadt Musterstadt", start.QuerySelector("[data-testid=organisation]")!.TextContent);
        Assert.Equal("Nord", start.QuerySelector("[data-testid=team]")!.TextContent);
        Assert.Equal("Integrationsmanager:in", start.QuerySelector("[data-testid=user-role]")!.TextContent);
    }

    [Fact]
    public async Task Sign_in_with_a_wrong_password_fails_with_a_German_message_and_no_session()
    {
        using var session = app.NewSession();

        var response = await session.SignInAsync("im2@musterstadt.example", "Falsch!2026");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("E-Mail-Adresse oder Passwort ist falsch.", page.ErrorMessages());
        using var start = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
    }

    [Fact]
    public async Task Sign_in_of_an_unknown_address_gives_the_same_message_as_a_wrong_password()
    {
        using var session = app.NewSession();

        var page = await ParseAsync(await session.SignInAsync("niemand@musterstadt.example", DemoData.DefaultPassword));

        Assert.Equal(["E-Mail-Adresse oder Passwort ist falsch."], page.ErrorMessages());
    }

    [Fact]
    public async Task Empty_sign_in_form_names_both_missing_fields()
    {
        using var session = app.NewSession();

        var page = await ParseAsync(await session.SignInAsync("", ""));

        Assert.Contains("Bitte die E-Mail-Adresse angeben.", page.ErrorMessages());
        Assert.Contains("Bitte das Passwort angeben.", page.ErrorMessages());
    }

    [Fact]
    public async Task Wrong_passwords_slow_down_the_guessing_address_with_a_German_429_but_never_lock_the_account()
    {
        var email = await CreateUser("gebremst");
        using var guesser = app.NewSession("203.0.113.10");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var wrong = await ParseAsync(await guesser.SignInAsync(email, "Falsch-aber-lang-2026"));
            Assert.Equal(["E-Mail-Adresse oder Passwort ist falsch."], wrong.ErrorMessages());
        }

        var throttled = await guesser.SignInAsync(email, AppFixture.UserPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains((await ParseAsync(throttled)).ErrorMessages(),
            m => m.StartsWith("Zu viele fehlgeschlagene Versuche. Bitte warten Sie 3 Minuten", StringComparison.Ordinal));
        using var owner = app.NewSession("198.51.100.20");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync(email, AppFixture.UserPassword)).StatusCode);
        var lockout = await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => new { u.LockoutEnd, u.LockoutEnabled }).SingleAsync());
        Assert.Null(lockout.LockoutEnd);
        Assert.False(lockout.LockoutEnabled);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/verwaltung/benutzer")]
    [InlineData("/konto/sicherheit")]
    [InlineData("/faelle")]
    public async Task Anonymous_visitors_are_sent_to_the_sign_in_page(string url)
    {
        using var session = app.NewSession();

        using var response = await session.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/konto/anmelden?ReturnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_sign_in_the_user_lands_on_the_page_they_asked_for_but_never_on_another_site()
    {
        using var session = app.NewSession();
        var local = await session.PostFormAsync("/konto/anmelden", "/konto/anmelden",
            Fields(("Email", "admin@musterstadt.example"), ("Password", DemoData.DefaultPassword), ("ReturnUrl", "/verwaltung/teams")));
        Assert.Equal("/verwaltung/teams", local.Headers.Location!.OriginalString);

        using var other = app.NewSession();
        var external = await other.PostFormAsync("/konto/anmelden", "/konto/anmelden",
            Fields(("Email", "admin@musterstadt.example"), ("Password", DemoData.DefaultPassword), ("ReturnUrl", "https://example.org/")));
        Assert.Equal("/", external.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Post_without_antiforgery_token_is_rejected_and_signs_nobody_in()
    {
        using var session = app.NewSession();

        using var response = await session.PostAsync("/konto/anmelden",
            Fields(("Email", "im1@musterstadt.example"), ("Password", DemoData.DefaultPassword)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Es wurde nichts gespeichert.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var start = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var session = await app.SignedInAs("im3@musterstadt.example");

        using var signOut = await session.PostFormAsync("/", "/konto/abmelden", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        using var start = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
    }

    [Fact]
    public async Task A_deactivated_account_cannot_sign_in()
    {
        var email = await CreateUser("deaktiviert");
        await app.WithDb(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == email);
            user.IsActive = false;
            return await db.SaveChangesAsync();
        });
        using var session = app.NewSession();

        var page = await ParseAsync(await session.SignInAsync(email, AppFixture.UserPassword));

        Assert.Equal(["E-Mail-Adresse oder Passwort ist falsch."], page.ErrorMessages());
    }

    [Fact]
    public async Task Two_factor_sign_in_asks_for_the_authenticator_code_after_the_password()
    {
        var email = await CreateUser("zweifaktor");
        using var session = await app.SignedInAs(email);
        var key = await EnrolAuthenticator(session);

        using var next = app.NewSession();
        var afterPassword = await next.SignInAsync(email, AppFixture.UserPassword);
        Assert.StartsWith("/konto/zweiter-faktor", afterPassword.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using (var notYet = await next.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, notYet.StatusCode);
        }

        var wrong = await ParseAsync(await next.PostFormAsync("/konto/zweiter-faktor", "/konto/zweiter-faktor", Fields(("Code", "000000"))));
        Assert.Contains("Der Code ist ungültig oder abgelaufen.", wrong.ErrorMessages());

        var right = await next.PostFormAsync("/konto/zweiter-faktor", "/konto/zweiter-faktor", Fields(("Code", Totp.Code(key))));
        var start = await next.FollowAsync(right);
        Assert.StartsWith("Guten Tag", start.Heading(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_authenticator_codes_are_slowed_with_a_German_429_and_lock_nothing()
    {
        var email = await CreateUser("codebremse");
        string key;
        using (var enrolling = await app.SignedInAs(email))
        {
            key = await EnrolAuthenticator(enrolling);
        }

        using var guesser = app.NewSession("203.0.113.70");
        await guesser.SignInAsync(email, AppFixture.UserPassword);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var wrong = await ParseAsync(await guesser.PostFormAsync("/konto/zweiter-faktor", "/konto/zweiter-faktor", Fields(("Code", "000000"))));
            Assert.Contains("Der Code ist ungültig oder abgelaufen.", wrong.ErrorMessages());
        }

        using var throttled = await guesser.PostFormAsync("/konto/zweiter-faktor", "/konto/zweiter-faktor", Fields(("Code", "000000")));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains((await ParseAsync(throttled)).ErrorMessages(), m => m.StartsWith("Zu viele fehlgeschlagene Versuche.", StringComparison.Ordinal));
        using var owner = app.NewSession("198.51.100.71");
        await owner.SignInAsync(email, AppFixture.UserPassword);
        var start = await owner.FollowAsync(await owner.PostFormAsync("/konto/zweiter-faktor", "/konto/zweiter-faktor", Fields(("Code", Totp.Code(key)))));
        Assert.StartsWith("Guten Tag", start.Heading(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switching_two_factor_off_needs_the_password_or_a_current_code()
    {
        var email = await CreateUser("zweifaktoraus");
        using var session = await app.SignedInAs(email);
        var key = await EnrolAuthenticator(session);

        var bare = await ParseAsync(await session.PostFormAsync("/konto/sicherheit", "/konto/sicherheit/zwei-faktor-aus", []));
        Assert.Contains("Bitte bestätigen Sie mit Ihrem Passwort oder dem aktuellen Code aus der Authenticator-App.", bare.ErrorMessages());
        var wrong = await ParseAsync(await session.PostFormAsync("/konto/sicherheit", "/konto/sicherheit/zwei-faktor-aus", Fields(("Confirmation", "Falsch-aber-lang-2026"))));
        Assert.Contains("Das Passwort oder der Code ist falsch.", wrong.ErrorMessages());
        var wrongCode = await ParseAsync(await session.PostFormAsync("/konto/sicherheit", "/konto/sicherheit/zwei-faktor-aus", Fields(("Confirmation", "000000"))));
        Assert.Contains("Das Passwort oder der Code ist falsch.", wrongCode.ErrorMessages());
        Assert.True(await TwoFactorEnabled(email));

        var withCode = await session.FollowAsync(await session.PostFormAsync("/konto/sicherheit", "/konto/sicherheit/zwei-faktor-aus", Fields(("Confirmation", Totp.Code(key)))));
        Assert.StartsWith("Die Zwei-Faktor-Anmeldung ist ausgeschaltet.", withCode.QuerySelector("[data-testid=two-factor-status]")!.TextContent, StringComparison.Ordinal);
        Assert.False(await TwoFactorEnabled(email));

        await EnrolAuthenticator(session);
        await session.FollowAsync(await session.PostFormAsync("/konto/sicherheit", "/konto/sicherheit/zwei-faktor-aus", Fields(("Confirmation", AppFixture.UserPassword))));
        Assert.False(await TwoFactorEnabled(email));
    }

    /// <summary>Sets up the authenticator app on the security page; returns its shared key.</summary>
    private static async Task<string> EnrolAuthenticator(WebSession session)
    {
        var enrolment = await ParseAsync(await session.PostFormAsync("/konto/sicherheit", "/konto/sicherheit/authenticator", []));
        var key = enrolment.QuerySelector("[data-testid=shared-key]")!.TextContent;
        var confirmed = await session.SubmitAsync(enrolment, "/konto/sicherheit/authenticator/bestaetigen", Fields(("Code", Totp.Code(key))));
        var security = await session.FollowAsync(confirmed);
        Assert.Equal("Die Zwei-Faktor-Anmeldung ist eingeschaltet.", security.QuerySelector("[data-testid=two-factor-status]")!.TextContent);
        return key;
    }

    private Task<bool> TwoFactorEnabled(string email) => app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync());

    private async Task<string> CreateUser(string name) => (await app.CreateManagerAsync(name)).Email;
}
