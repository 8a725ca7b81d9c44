using System.Net;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Administration;

public sealed class TeamAdministrationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string TeamsPage = "/verwaltung/teams";

    [Fact]
    public async Task The_team_list_shows_own_teams_with_members_and_leads_only()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");

        var page = await admin.GetPageAsync(TeamsPage);

        var rows = page.QuerySelectorAll("tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Contains(rows, r => r[0] == "Nord" && r[1] == "3" && r[2] == "Petra Schulz");
        Assert.Contains(rows, r => r[0] == "Süd" && r[1] == "2" && r[2] == "Tobias Braun");
        Assert.DoesNotContain(rows, r => r[0] == "Integrationsmanagement");
    }

    [Fact]
    public async Task A_team_is_created_and_renamed_and_duplicate_or_empty_names_are_refused()
    {
        using var admin = await app.SignedInAs("admin@musterstadt.example");

        await AssertRedirectAsync(await admin.PostFormAsync(TeamsPage, TeamsPage, Fields(("Name", "Ost"))));
        var duplicate = await admin.PostFormAsync(TeamsPage, TeamsPage, Fields(("Name", "Ost")));
        Assert.Contains("Ein Team mit diesem Namen gibt es bereits.", (await ParseAsync(duplicate)).ErrorMessages());
        var empty = await admin.PostFormAsync(TeamsPage, TeamsPage, Fields(("Name", "  ")));
        Assert.Contains("Bitte einen Teamnamen angeben.", (await ParseAsync(empty)).ErrorMessages());

        var id = await app.WithDb(db => db.Teams.Where(t => t.Name == "Ost").Select(t => t.Id).SingleAsync());
        await AssertRedirectAsync(await admin.PostFormAsync($"{TeamsPage}/{id}", $"{TeamsPage}/{id}", Fields(("Name", "Ost-Mitte"))));
        Assert.Equal(["Ost-Mitte"], await app.WithDb(db => db.Teams.Where(t => t.Id == id).Select(t => t.Name).ToListAsync()));
    }

    [Fact]
    public async Task The_same_team_name_may_exist_in_another_organisation()
    {
        using var admin = await app.SignedInAs("admin@beispiel.example");

        await AssertRedirectAsync(await admin.PostFormAsync(TeamsPage, TeamsPage, Fields(("Name", "Nord"))));
    }

    [Fact]
    public async Task Teams_of_another_organisation_cannot_be_opened_or_renamed()
    {
        using var admin = await app.SignedInAs("admin@beispiel.example");
        var foreign = await app.WithDb(db => db.Teams.Where(t => t.Name == "Süd").Select(t => t.Id).SingleAsync());

        using var view = await admin.GetAsync($"{TeamsPage}/{foreign}");
        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
        using var rename = await admin.PostCraftedAsync(TeamsPage, $"{TeamsPage}/{foreign}", Fields(("Name", "Gekapert")));
        Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        Assert.Equal("Süd", await app.WithDb(db => db.Teams.Where(t => t.Id == foreign).Select(t => t.Name).SingleAsync()));
    }
}
