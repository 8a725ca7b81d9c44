using System.Net;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Administration;

/// <summary>Every administration endpoint refuses every other role, for reading and for writing.</summary>
public sealed class AdministrationAccessTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static TheoryData<string> OtherRoles => new()
    {
        "im1@musterstadt.example",
        "lead@musterstadt.example",
        "dpo@musterstadt.example",
    };

    [Theory]
    [MemberData(nameof(OtherRoles))]
    public async Task Other_roles_can_neither_read_nor_change_users_and_teams(string email)
    {
        var target = await app.WithDb(db => db.Users.SingleAsync(u => u.Email == "im2@musterstadt.example"));
        var team = await app.WithDb(db => db.Teams.FirstAsync(t => t.Name == "Nord"));
        var before = await Snapshot();
        using var session = await app.SignedInAs(email);

        string[] pages = ["/verwaltung/benutzer", "/verwaltung/benutzer/neu", $"/verwaltung/benutzer/{target.Id}", "/verwaltung/teams", $"/verwaltung/teams/{team.Id}"];
        foreach (var page in pages)
        {
            using var response = await session.GetAsync(page);
            AssertDenied(response, page);
        }

        (string Action, (string, string)[] Fields)[] writes =
        [
            ("/verwaltung/benutzer/neu", [("Email", "x@musterstadt.example"), ("DisplayName", "X"), ("Role", Roles.Administrator), ("Password", "Start!2026x")]),
            ($"/verwaltung/benutzer/{target.Id}", [("DisplayName", "X"), ("Role", Roles.Administrator), ("IsActive", "false"), ("ConcurrencyStamp", target.ConcurrencyStamp!)]),
            ($"/verwaltung/benutzer/{target.Id}/passwort", [("NewPassword", "Gekapert!2026")]),
            ("/verwaltung/teams", [("Name", "Übernahme")]),
            ($"/verwaltung/teams/{team.Id}", [("Name", "Übernahme")]),
        ];
        foreach (var (action, fields) in writes)
        {
            using var response = await session.PostCraftedAsync("/", action, Fields(fields));
            AssertDenied(response, action);
        }

        Assert.Equal(before, await Snapshot());
    }

    private static void AssertDenied(HttpResponseMessage response, string url)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url} answered {(int)response.StatusCode}");
        Assert.StartsWith("http://localhost/konto/kein-zugriff", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private Task<string> Snapshot() => app.WithDb(async db =>
        string.Join("|", await db.Users.OrderBy(u => u.Id).Select(u => u.Id + u.DisplayName + u.IsActive + u.PasswordHash + u.ConcurrencyStamp).ToListAsync())
        + string.Join("|", await db.Teams.OrderBy(t => t.Id).Select(t => t.Id + t.Name).ToListAsync()));
}
