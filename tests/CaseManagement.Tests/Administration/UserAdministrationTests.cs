using System.Net;
using AngleSharp.Dom;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Administration;

public sealed class UserAdministrationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string UsersPage = "/verwaltung/benutzer";
    private const string NewUserPage = "/verwaltung/benutzer/neu";

    [Fact]
    public async Task An_administrator_sees_the_users_of_the_own_organisation_only()
    {
        using var admin = await app.SignedInAs("admin@beispiel.example");

        var list = await admin.GetPageAsync(UsersPage);

        var emails = list.QuerySelectorAll("table.data-table tbody tr td:nth-child(2)").Select(td => td.TextContent).ToList();
        Assert.Contains("im1@beispiel.example", emails);
        Assert.Contains("admin@beispiel.example", emails);
        Assert.DoesNotContain(emails, e => e.EndsWith("@musterstadt.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_administrator_creates_a_manager_who_can_then_sign_in_with_organisation_and_team()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var sued = await TeamId("Stadt Musterstadt", "Süd");

        var created = await admin.PostFormAsync(NewUserPage, NewUserPage, Fields(
            ("Email", "neu.im@musterstadt.example"), ("DisplayName", "Nora Neu"), ("Role", Roles.Manager),
            ("TeamId", sued.ToString()), ("Password", "Frühling am Bodensee 2026")));

        var list = await admin.FollowAsync(created);
        Assert.Contains("Das Konto wurde angelegt.", list.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(list.QuerySelectorAll("td a"), a => a.TextContent == "Nora Neu");
        using var newcomer = await app.SignedInAs("neu.im@musterstadt.example", "Frühling am Bodensee 2026");
        var start = await newcomer.GetPageAsync("/");
        Assert.Equal("Stadt Musterstadt", start.QuerySelector("[data-testid=organisation]")!.TextContent);
        Assert.Equal("Süd", start.QuerySelector("[data-testid=team]")!.TextContent);
        Assert.Contains("Meine Fälle", start.NavigationLabels());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_German_messages_and_creates_nothing()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var before = await UserCount();

        var response = await admin.PostFormAsync(NewUserPage, NewUserPage, Fields(
            ("Email", "keine-adresse"), ("DisplayName", " "), ("Role", Roles.Manager), ("TeamId", ""), ("Password", "kurz")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = (await ParseAsync(response)).ErrorMessages();
        Assert.Contains("Bitte eine gültige E-Mail-Adresse angeben.", errors);
        Assert.Contains("Bitte den Namen angeben.", errors);
        Assert.Contains("Integrationsmanager:innen und Teamleitungen brauchen ein Team.", errors);
        Assert.Equal(before, await UserCount());
    }

    [Theory]
    [InlineData("kurz", "Das Passwort muss mindestens 12 Zeichen lang sein.")]
    [InlineData("password1234", "Dieses Passwort ist zu verbreitet oder taucht in Listen gestohlener Passwörter auf. Bitte wählen Sie ein anderes, z. B. einen Satz aus mehreren Wörtern.")]
    [InlineData("Schwachstelle-Hausmann-7", "Das Passwort darf weder die E-Mail-Adresse noch den Namen des Kontos enthalten.")]
    public async Task A_weak_password_is_explained_in_German_and_creates_nothing(string password, string message)
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var before = await UserCount();

        var response = await admin.PostFormAsync(NewUserPage, NewUserPage, Fields(
            ("Email", "schwach@musterstadt.example"), ("DisplayName", "Sven Hausmann"), ("Role", Roles.Administrator), ("Password", password)));

        Assert.Equal([message], (await ParseAsync(response)).ErrorMessages());
        Assert.Equal(before, await UserCount());
    }

    [Fact]
    public async Task A_long_password_without_digits_or_special_characters_is_accepted()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");

        await AssertRedirectAsync(await admin.PostFormAsync(NewUserPage, NewUserPage, Fields(
            ("Email", "satz@musterstadt.example"), ("DisplayName", "Sabine Satz"), ("Role", Roles.Administrator), ("Password", "zwei kleine wale im see"))));

        using var user = await app.SignedInAs("satz@musterstadt.example", "zwei kleine wale im see");
    }

    [Fact]
    public async Task A_duplicate_address_is_refused()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");

        var response = await admin.PostFormAsync(NewUserPage, NewUserPage, Fields(
            ("Email", "im1@musterstadt.example"), ("DisplayName", "Doppelt"), ("Role", Roles.Administrator), ("Password", AppFixture.UserPassword)));

        Assert.Contains("Diese E-Mail-Adresse ist bereits vergeben.", (await ParseAsync(response)).ErrorMessages());
    }

    [Fact]
    public async Task An_administrator_cannot_put_a_user_into_a_team_of_another_organisation()
    {
        using var admin = await app.SignedInAs("admin@beispiel.example");
        var foreignTeam = await TeamId("Stadt Musterstadt", "Nord");
        var before = await UserCount();

        var response = await admin.PostFormAsync(NewUserPage, NewUserPage, Fields(
            ("Email", "fremd@beispiel.example"), ("DisplayName", "Fremd"), ("Role", Roles.Manager),
            ("TeamId", foreignTeam.ToString()), ("Password", AppFixture.UserPassword)));

        Assert.Contains("Integrationsmanager:innen und Teamleitungen brauchen ein Team.", (await ParseAsync(response)).ErrorMessages());
        Assert.Equal(before, await UserCount());
    }

    [Fact]
    public async Task Users_of_another_organisation_cannot_be_opened_or_changed()
    {
        using var admin = await app.SignedInAs("admin@beispiel.example");
        var foreign = await app.WithDb(db => db.Users.SingleAsync(u => u.Email == "im2@musterstadt.example"));

        using var view = await admin.GetAsync($"{UsersPage}/{foreign.Id}");
        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);

        var ownPage = $"{UsersPage}/{await UserId("im1@beispiel.example")}";
        using var edit = await admin.PostCraftedAsync(ownPage, $"{UsersPage}/{foreign.Id}", Fields(
            ("DisplayName", "Übernommen"), ("Role", Roles.Administrator), ("IsActive", "false"), ("ConcurrencyStamp", foreign.ConcurrencyStamp!)));
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);

        using var password = await admin.PostCraftedAsync(ownPage, $"{UsersPage}/{foreign.Id}/passwort", Fields(("NewPassword", "Gekapert!2026")));
        Assert.Equal(HttpStatusCode.NotFound, password.StatusCode);

        var after = await app.WithDb(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == foreign.Id));
        Assert.Equal(foreign.DisplayName, after.DisplayName);
        Assert.True(after.IsActive);
        Assert.Equal(foreign.PasswordHash, after.PasswordHash);
    }

    [Fact]
    public async Task Changing_role_and_team_takes_effect_and_a_stale_form_is_refused_without_overwriting()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var id = await CreateUser("wechsel");
        var page = $"{UsersPage}/{id}";
        var form = await admin.GetPageAsync(page);
        var staleStamp = form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=ConcurrencyStamp]")!.Value;
        var nord = await TeamId("Stadt Musterstadt", "Nord");

        var first = await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Wechsel Leitung"), ("Role", Roles.TeamLead), ("TeamId", nord.ToString()), ("IsActive", "true"), ("ConcurrencyStamp", staleStamp)));
        await AssertRedirectAsync(first);

        var second = await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Veraltet"), ("Role", Roles.Manager), ("TeamId", nord.ToString()), ("IsActive", "true"), ("ConcurrencyStamp", staleStamp)));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains((await ParseAsync(second)).ErrorMessages(), m => m.StartsWith("Jemand anderes hat diese Angaben inzwischen geändert.", StringComparison.Ordinal));
        var list = await admin.GetPageAsync(UsersPage);
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("a")!.GetAttribute("href") == page);
        Assert.Equal("Wechsel Leitung", row.QuerySelector("a")!.TextContent);
        Assert.Equal("Teamleitung", row.QuerySelectorAll("td")[2].TextContent);
    }

    [Fact]
    public async Task Deactivating_an_account_blocks_sign_in_and_shows_it_in_the_list()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var id = await CreateUser("aus");
        var email = await app.WithDb(db => db.Users.Where(u => u.Id == id).Select(u => u.Email!).SingleAsync());
        var page = $"{UsersPage}/{id}";
        var stamp = (await admin.GetPageAsync(page)).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=ConcurrencyStamp]")!.Value;

        await AssertRedirectAsync(await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Aus"), ("Role", Roles.Administrator), ("TeamId", ""), ("IsActive", "false"), ("ConcurrencyStamp", stamp))));

        using var user = app.NewSession();
        Assert.Equal(["E-Mail-Adresse oder Passwort ist falsch."], (await ParseAsync(await user.SignInAsync(email, AppFixture.UserPassword))).ErrorMessages());
        var list = await admin.GetPageAsync(UsersPage);
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("a")!.GetAttribute("href") == page);
        Assert.Equal("deaktiviert", row.QuerySelectorAll("td")[4].TextContent);
    }

    [Fact]
    public async Task An_administrator_cannot_lock_themselves_out()
    {
        using var admin = await app.SignedInAs("admin@beispiel.example");
        var page = $"{UsersPage}/{await UserId("admin@beispiel.example")}";
        var stamp = (await admin.GetPageAsync(page)).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=ConcurrencyStamp]")!.Value;

        var response = await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Karl Neumann"), ("Role", Roles.Manager), ("TeamId", ""), ("IsActive", "false"), ("ConcurrencyStamp", stamp)));

        Assert.Contains((await ParseAsync(response)).ErrorMessages(), m => m.StartsWith("Sie können Ihr eigenes Konto", StringComparison.Ordinal));
        Assert.Contains("Benutzer:innen", (await admin.GetPageAsync("/")).NavigationLabels());
    }

    [Fact]
    public async Task A_new_password_from_the_administrator_replaces_the_old_one_and_failed_guesses_never_locked_the_account()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var id = await CreateUser("neupasswort");
        var email = await app.WithDb(db => db.Users.Where(u => u.Id == id).Select(u => u.Email!).SingleAsync());
        using (var attacker = app.NewSession("203.0.113.30"))
        {
            for (var i = 0; i < 5; i++)
            {
                await attacker.SignInAsync(email, "Falsch-aber-lang-2026");
            }
        }

        var page = $"{UsersPage}/{id}";
        Assert.Null((await admin.GetPageAsync(page)).QuerySelector("[data-testid=protected-account]"));
        await AssertRedirectAsync(await admin.PostFormAsync(page, $"{page}/passwort", Fields(("NewPassword", "Wieder im Dienst 2026"))));

        using var user = await app.SignedInAs(email, "Wieder im Dienst 2026");
        using var old = app.NewSession();
        Assert.Equal(["E-Mail-Adresse oder Passwort ist falsch."], (await ParseAsync(await old.SignInAsync(email, AppFixture.UserPassword))).ErrorMessages());
    }

    [Fact]
    public async Task Posting_to_user_administration_without_antiforgery_token_changes_nothing()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var before = await UserCount();

        using var response = await admin.PostAsync(NewUserPage, Fields(
            ("Email", "csrf@musterstadt.example"), ("DisplayName", "CSRF"), ("Role", Roles.Administrator), ("Password", AppFixture.UserPassword)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await UserCount());
    }

    private Task<int> UserCount() => app.WithDb(db => db.Users.CountAsync());

    private Task<Guid> UserId(string email) => app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<Guid> TeamId(string organisation, string team) => app.WithDb(db =>
        (from t in db.Teams join o in db.Organisations on t.OrganisationId equals o.Id
         where o.Name == organisation && t.Name == team select t.Id).SingleAsync());

    private async Task<Guid> CreateUser(string name) => (await app.CreateManagerAsync(name)).Id;
}
