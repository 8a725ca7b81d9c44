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
    public async Task Five_wrong_passwords_lock_the_account_so_that_even_the_right_password_fails()
    {
        var email = await CreateUser("gesperrt");
        using var session = app.NewSession();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await session.SignInAsync(email, "Falsch!2026");
        }

        var response = await session.SignInAsync(email, DemoData.DefaultPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains(page.ErrorMessages(), m => m.StartsWith("Ihr Konto ist nach mehreren Fehlversuchen vorübergehend gesperrt", StringComparison.Ordinal));
        var lockoutEnd = await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync());
        Assert.True(lockoutEnd > DateTimeOffset.UtcNow.AddMinutes(10));
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

        var page = await ParseAsync(await session.SignInAsync(email, DemoData.DefaultPassword));

        Assert.Equal(["E-Mail-Adresse oder Passwort ist falsch."], page.ErrorMessages());
    }

    [Fact]
    public async Task Two_factor_sign_in_asks_for_the_authenticator_code_after_the_password()
    {
        var email = await CreateUser("zweifaktor");
        using var session = await app.SignedInAs(email);
        var enrolment = await ParseAsync(await session.PostFormAsync("/konto/sicherheit", "/konto/sicherheit/authenticator", []));
        var key = enrolment.QuerySelector("[data-testid=shared-key]")!.TextContent;
        var confirmed = await session.SubmitAsync(enrolment, "/konto/sicherheit/authenticator/bestaetigen", Fields(("Code", Totp.Code(key))));
        var security = await session.FollowAsync(confirmed);
        Assert.Equal("Die Zwei-Faktor-Anmeldung ist eingeschaltet.", security.QuerySelector("[data-testid=two-factor-status]")!.TextContent);

        using var next = app.NewSession();
        var afterPassword = await next.SignInAsync(email, DemoData.DefaultPassword);
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

    private async Task<string> CreateUser(string name) => (await app.CreateManagerAsync(name)).Email;
}
