using System.Net;
using AngleSharp.Dom;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Operations;

/// <summary>The job dashboard spans every organisation: the platform operator's, granted only by the operator verb.</summary>
public sealed class PlatformOperatorTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] DashboardPages = ["/hangfire", "/hangfire/recurring", "/hangfire/jobs/succeeded", "/hangfire/jobs/failed", "/hangfire/servers"];

    [Theory]
    [InlineData("admin@musterstadt.example")]
    [InlineData("admin@beispiel.example")]
    public async Task An_organisation_administrator_gets_403_from_the_dashboard_and_its_actions(string email)
    {
        using var admin = await app.SignedInAs(email);

        foreach (var page in DashboardPages)
        {
            using var response = await admin.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {page}: {(int)response.StatusCode}");
        }

        foreach (var action in new[] { "/hangfire/recurring/trigger", "/hangfire/recurring/remove", "/hangfire/jobs/enqueued/delete" })
        {
            using var response = await admin.PostAsync(action, Fields(("jobs[]", "reminders-" + Guid.NewGuid())));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"POST {action}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_operator_verb_opens_the_dashboard_and_revoking_closes_it_at_the_next_request()
    {
        var (_, email) = await app.CreateManagerAsync("betrieb");
        using var session = await app.SignedInAs(email);
        using (var before = await session.GetAsync("/hangfire"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            Assert.Equal(0, await global::CaseManagement.Web.Infrastructure.CommandLine.RunAccountVerbAsync(scope.ServiceProvider.GetRequiredService<PlatformOperations>(), "grant-operator", [email]));
        }

        // The role change ended the session: a new sign-in carries the role.
        using (var stale = await session.GetAsync("/hangfire"))
        {
            Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        }

        using var operatorSession = await app.SignedInAs(email);
        foreach (var page in DashboardPages)
        {
            using var response = await operatorSession.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {page}: {(int)response.StatusCode}");
        }

        var start = await operatorSession.GetPageAsync("/");
        Assert.Contains("Hintergrundaufträge", start.NavigationLabels());
        Assert.Contains("Plattformbetrieb", start.QuerySelector("[data-testid=user-role]")!.TextContent, StringComparison.Ordinal);

        Assert.Empty(await app.Operator(operations => operations.RevokeAsync(email, Roles.PlatformOperator)));
        using var revoked = await operatorSession.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.StartsWith("http://localhost/konto/anmelden", revoked.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_administration_cannot_grant_the_operator_role_nor_touch_an_operator_account()
    {
        var (id, email) = await app.CreateManagerAsync("betrieb2");
        Assert.Empty(await app.Operator(operations => operations.GrantAsync(email, Roles.PlatformOperator)));
        using var admin = await app.SignedInAs("admin@musterstadt.example");

        var created = await admin.PostFormAsync("/verwaltung/benutzer/neu", "/verwaltung/benutzer/neu", Fields(
            ("Email", "betrieb-neu@musterstadt.example"), ("DisplayName", "Bea Betrieb"), ("Role", Roles.PlatformOperator), ("Password", AppFixture.UserPassword)));
        Assert.Contains("Bitte eine Rolle auswählen.", (await ParseAsync(created)).ErrorMessages());
        Assert.False(await app.WithDb(db => db.Users.AnyAsync(u => u.Email == "betrieb-neu@musterstadt.example")));

        var page = $"/verwaltung/benutzer/{id}";
        var form = await admin.GetPageAsync(page);
        Assert.NotNull(form.QuerySelector("[data-testid=protected-account]"));
        Assert.DoesNotContain(form.QuerySelectorAll("#Role option"), o => o.GetAttribute("value") == Roles.PlatformOperator);
        var stamp = form.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=ConcurrencyStamp]")!.Value;
        var edit = await admin.SubmitAsync(form, page, Fields(
            ("DisplayName", "Übernommen"), ("Role", Roles.Manager), ("TeamId", ""), ("IsActive", "false"), ("ConcurrencyStamp", stamp)));
        Assert.Contains(SeparationOfDuties.ProtectedAccount, (await ParseAsync(edit)).ErrorMessages());
        var reset = await admin.PostCraftedAsync(page, $"{page}/passwort", Fields(("NewPassword", "Übernahme am Abend 2026")));
        Assert.Contains(SeparationOfDuties.ProtectedAccount, (await ParseAsync(reset)).ErrorMessages());

        var account = await app.WithDb(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == id));
        Assert.True(account.IsActive);
        Assert.StartsWith("Test", account.DisplayName, StringComparison.Ordinal);
        using var stillOperator = await app.SignedInAs(email);
        using var dashboard = await stillOperator.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }
}
