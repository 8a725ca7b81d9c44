using System.Net;
using AngleSharp.Dom;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Administration;

/// <summary>
/// An administrator cannot make a data-protection officer or take one's account over; a DPO is appointed by
/// another DPO or the platform operator, and every role change is in the audit trail the DPO reads.
/// </summary>
public sealed class SeparationOfDutiesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string UsersPage = "/verwaltung/benutzer";
    private const string RolesPage = "/datenschutz/rollen";
    private const string Dpo = "dpo@musterstadt.example";

    [Fact]
    public async Task An_administrator_cannot_create_a_data_protection_officer()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");

        var response = await admin.PostFormAsync($"{UsersPage}/neu", $"{UsersPage}/neu", Fields(
            ("Email", "komplize@musterstadt.example"), ("DisplayName", "Kai Komplize"), ("Role", Roles.DataProtectionOfficer), ("Password", AppFixture.UserPassword)));

        Assert.Equal([SeparationOfDuties.OnlyDpoAppointsDpo], (await ParseAsync(response)).ErrorMessages());
        Assert.False(await app.WithDb(db => db.Users.AnyAsync(u => u.Email == "komplize@musterstadt.example")));
        var form = await admin.GetPageAsync($"{UsersPage}/neu");
        Assert.DoesNotContain(form.QuerySelectorAll("#Role option"), o => o.GetAttribute("value") == Roles.DataProtectionOfficer);
    }

    [Fact]
    public async Task An_administrator_cannot_give_someone_the_data_protection_officer_role()
    {
        var (id, email) = await app.CreateManagerAsync("befoerdert");
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var page = $"{UsersPage}/{id}";
        var stamp = (await admin.GetPageAsync(page)).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("input[name=ConcurrencyStamp]")!.Value;

        var response = await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Test befoerdert"), ("Role", Roles.DataProtectionOfficer), ("TeamId", ""), ("IsActive", "true"), ("ConcurrencyStamp", stamp)));

        Assert.Contains(SeparationOfDuties.OnlyDpoAppointsDpo, (await ParseAsync(response)).ErrorMessages());
        using var user = await app.SignedInAs(email);
        Assert.DoesNotContain("Betroffene", (await user.GetPageAsync("/")).NavigationLabels());
    }

    [Fact]
    public async Task An_administrator_cannot_reset_change_or_deactivate_a_data_protection_officer()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var before = await app.WithDb(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == Dpo));
        var page = $"{UsersPage}/{before.Id}";
        var form = await admin.GetPageAsync(page);
        Assert.NotNull(form.QuerySelector("[data-testid=protected-account]"));
        Assert.Empty(form.QuerySelectorAll($"form[action='{page}/passwort']"));

        var edit = await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Helga Fischer"), ("Role", Roles.DataProtectionOfficer), ("TeamId", ""), ("IsActive", "false"), ("ConcurrencyStamp", before.ConcurrencyStamp!)));
        Assert.Equal([SeparationOfDuties.ProtectedAccount], (await ParseAsync(edit)).ErrorMessages());
        var demote = await admin.PostFormAsync(page, page, Fields(
            ("DisplayName", "Helga Fischer"), ("Role", Roles.Manager), ("TeamId", ""), ("IsActive", "true"), ("ConcurrencyStamp", before.ConcurrencyStamp!)));
        Assert.Equal([SeparationOfDuties.ProtectedAccount], (await ParseAsync(demote)).ErrorMessages());
        var reset = await admin.PostCraftedAsync(page, $"{page}/passwort", Fields(("NewPassword", "Übernahme am Morgen 2026")));
        Assert.Equal([SeparationOfDuties.ProtectedAccount], (await ParseAsync(reset)).ErrorMessages());

        var after = await app.WithDb(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == Dpo));
        Assert.True(after.IsActive);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);
        using var dpo = await app.SignedInAs(Dpo);
    }

    [Fact]
    public async Task A_data_protection_officer_appoints_and_dismisses_another_and_reads_every_role_change()
    {
        var (id, email) = await app.CreateManagerAsync("nachfolge");
        using var dpo = await app.SignedInAs(Dpo);
        var dpoId = await app.WithDb(db => db.Users.Where(u => u.Email == Dpo).Select(u => u.Id).SingleAsync());

        var appointed = await dpo.FollowAsync(await dpo.PostFormAsync(RolesPage, $"{RolesPage}/{id}/bestellen", []));
        Assert.Equal("Die Bestellung ist eingetragen.", appointed.QuerySelector("[data-testid=message]")!.TextContent);
        using (var successor = await app.SignedInAs(email))
        {
            Assert.Contains("Betroffene", (await successor.GetPageAsync("/")).NavigationLabels());
        }

        var dismissed = await dpo.FollowAsync(await dpo.PostFormAsync(RolesPage, $"{RolesPage}/{id}/widerrufen", []));
        Assert.Equal("Die Bestellung ist widerrufen.", dismissed.QuerySelector("[data-testid=message]")!.TextContent);

        var changes = await app.WithDb(db => db.RoleChanges.AsNoTracking().Where(c => c.UserId == id).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(
            [(Roles.Manager, RoleChangeKind.Granted, (Guid?)(await AdminId())), (Roles.Manager, RoleChangeKind.Revoked, dpoId),
             (Roles.DataProtectionOfficer, RoleChangeKind.Granted, dpoId), (Roles.DataProtectionOfficer, RoleChangeKind.Revoked, dpoId)],
            changes.Select(c => (c.Role, c.Change, c.ChangedBy)));
        var rows = dismissed.QuerySelectorAll("[data-testid=role-changes] tbody tr")
            .Select(r => r.QuerySelectorAll("td").Skip(1).Select(td => td.TextContent.Trim()).ToArray())
            .Where(cells => cells[0] == "Test nachfolge")
            .ToList();
        Assert.Equal(
            [["Test nachfolge", "Datenschutzbeauftragte:r", "entzogen", "Helga Fischer"],
             ["Test nachfolge", "Datenschutzbeauftragte:r", "erteilt", "Helga Fischer"],
             ["Test nachfolge", "Integrationsmanager:in", "entzogen", "Helga Fischer"],
             ["Test nachfolge", "Integrationsmanager:in", "erteilt", "Max Hofmann"]],
            rows);
    }

    [Fact]
    public async Task A_data_protection_officer_cannot_end_the_own_appointment_nor_appoint_an_administrator()
    {
        using var dpo = await app.SignedInAs(Dpo);
        var dpoId = await app.WithDb(db => db.Users.Where(u => u.Email == Dpo).Select(u => u.Id).SingleAsync());

        var self = await ParseAsync(await dpo.PostCraftedAsync(RolesPage, $"{RolesPage}/{dpoId}/widerrufen", []));
        Assert.Equal([SeparationOfDuties.NotYourself], self.ErrorMessages());
        var admin = await ParseAsync(await dpo.PostCraftedAsync(RolesPage, $"{RolesPage}/{await AdminId()}/bestellen", []));
        Assert.Equal([SeparationOfDuties.NotAnAdministrator], admin.ErrorMessages());
        Assert.True(await app.WithDb(db => db.UserRoles.AnyAsync(ur => ur.UserId == dpoId)));
    }

    [Fact]
    public async Task The_role_page_is_for_the_own_organisations_data_protection_officer_only()
    {
        var target = await app.WithDb(db => db.Users.Where(u => u.Email == "im2@musterstadt.example").Select(u => u.Id).SingleAsync());
        foreach (var email in new[] { "admin@musterstadt.example", "im1@musterstadt.example", "lead@musterstadt.example" })
        {
            using var session = await app.SignedInAs(email);
            using var page = await session.GetAsync(RolesPage);
            Assert.StartsWith("http://localhost/konto/kein-zugriff", page.Headers.Location?.ToString(), StringComparison.Ordinal);
            using var appoint = await session.PostCraftedAsync("/", $"{RolesPage}/{target}/bestellen", []);
            Assert.StartsWith("http://localhost/konto/kein-zugriff", appoint.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        // A DPO of another organisation finds nothing of this one.
        var (_, foreign) = await ForeignManager();
        Assert.Empty(await app.Operator(operations => operations.GrantAsync(foreign, Roles.DataProtectionOfficer)));
        using var foreignDpo = await app.SignedInAs(foreign);
        var list = await foreignDpo.GetPageAsync(RolesPage);
        Assert.DoesNotContain(list.QuerySelectorAll("[data-testid=accounts] td"), td => td.TextContent == "Jonas Weber");
        using var crafted = await foreignDpo.PostCraftedAsync(RolesPage, $"{RolesPage}/{target}/bestellen", []);
        Assert.Equal(HttpStatusCode.NotFound, crafted.StatusCode);
        Assert.False(await app.WithDb(db => db.UserRoles.AnyAsync(ur => ur.UserId == target && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.DataProtectionOfficer))));
    }

    [Fact]
    public async Task The_platform_operator_appoints_a_data_protection_officer_with_the_operator_verb_and_it_is_audited()
    {
        var (id, email) = await app.CreateManagerAsync("verbdsb");

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var operations = scope.ServiceProvider.GetRequiredService<PlatformOperations>();
            Assert.Equal(0, await global::CaseManagement.Web.Infrastructure.CommandLine.RunAccountVerbAsync(operations, "grant-dpo", [email]));
            Assert.Equal(1, await global::CaseManagement.Web.Infrastructure.CommandLine.RunAccountVerbAsync(operations, "grant-dpo", ["niemand@musterstadt.example"]));
        }

        using var dpo = await app.SignedInAs(Dpo);
        var page = await dpo.GetPageAsync(RolesPage);
        var granted = page.QuerySelectorAll("[data-testid=role-changes] tbody tr")
            .Select(r => r.QuerySelectorAll("td").Skip(1).Select(td => td.TextContent.Trim()).ToArray())
            .First(cells => cells[0] == "Test verbdsb");
        Assert.Equal(["Test verbdsb", "Datenschutzbeauftragte:r", "erteilt", "Plattformbetrieb (Kommandozeile)"], granted);
        Assert.Null(await app.WithDb(db => db.Users.Where(u => u.Id == id).Select(u => u.TeamId).SingleAsync()));
    }

    private Task<Guid> AdminId() => app.WithDb(db => db.Users.Where(u => u.Email == "admin@musterstadt.example").Select(u => u.Id).SingleAsync());

    /// <summary>A manager of Landkreis Beispiel, created by its administrator.</summary>
    private async Task<(Guid Id, string Email)> ForeignManager()
    {
        var email = $"fremd-{Guid.NewGuid():N}"[..20] + "@beispiel.example";
        using var admin = await app.SignedInAs("admin@beispiel.example");
        var team = await app.WithDb(db => db.Teams.Where(t => t.Name == "Integrationsmanagement").Select(t => t.Id).SingleAsync());
        await AssertRedirectAsync(await admin.PostFormAsync($"{UsersPage}/neu", $"{UsersPage}/neu", Fields(
            ("Email", email), ("DisplayName", "Frida Fremd"), ("Role", Roles.Manager), ("TeamId", team.ToString()), ("Password", AppFixture.UserPassword))));
        return (await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync()), email);
    }
}
